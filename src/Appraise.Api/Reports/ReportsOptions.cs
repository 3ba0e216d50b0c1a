namespace Appraise.Api.Reports;

/// <summary>Report storage and the background worker (configuration section "Reports").</summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>The PostgreSQL connection string's name: <c>ConnectionStrings__Reports</c>.</summary>
    public const string ConnectionStringName = "Reports";

    /// <summary>
    /// <c>sqlite</c> (one process, embedded) or <c>postgres</c> (many replicas). Empty means
    /// postgres when <c>ConnectionStrings__Reports</c> is set, sqlite otherwise.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>Directory of the SQLite database, relative to the content root unless absolute.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite's journal: <c>wal</c> (the default: readers never wait for the writer) or
    /// <c>delete</c>, the rollback journal, for a data directory on a network file system such
    /// as App Service's /home (SMB): WAL needs shared memory that network file systems do not
    /// provide (https://sqlite.org/wal.html). Both commit with synchronous=FULL.
    /// </summary>
    public string SqliteJournalMode { get; set; } = "wal";

    /// <summary>How often an idle worker looks for jobs another process may have queued.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed job belongs to its worker before another may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a report is marked failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; it doubles with every further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Jobs a worker claims in one round trip.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Completed and failed reports older than this are deleted by a periodic sweep.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Upper bound on any single store operation, so a sick database never hangs a request.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
