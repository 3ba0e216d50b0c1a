using Appraise.Api.Hosting;
using Appraise.Api.Metrics;
using Appraise.Api.Reports.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports.Sqlite;

/// <summary>
/// Reports in a SQLite file: the embedded default for a single process. WAL journal (or the
/// rollback journal on network file systems) with synchronous=FULL, so a committed report
/// survives a crash or power loss.
/// </summary>
public sealed class SqliteReportStore : IReportStore, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly string _journalMode;
    private readonly SqliteWriter _writer;
    // Open from initialization to disposal and otherwise unused. The last connection to close a WAL
    // database checkpoints it and deletes the WAL (several fsyncs); without pooling every write and
    // read was that last connection, which cost 6 ms per group commit (docs/performance.md).
    private SqliteConnection? _walKeeper;

    public SqliteReportStore(IOptions<ReportsOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        var directory = Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath);
        EnsureWritable(directory);
        DatabasePath = Path.Combine(directory, "appraise.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            // No pooling: a pooled connection would keep using a database file that was replaced or
            // deleted underneath it, and report traffic is bound by fsync, not by opening.
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, (int)options.Value.OperationTimeout.TotalSeconds),
        }.ToString();
        _time = time;
        // Validated to be wal or delete (ReportsOptionsValidator): safe to put into the PRAGMA.
        _journalMode = options.Value.SqliteJournalMode.ToUpperInvariant();
        _writer = new SqliteWriter(OpenAsync);
    }

    public string DatabasePath { get; }

    /// <summary>
    /// The data directory must exist (or be creatable) and take a file: otherwise the service
    /// cannot keep a single report, and says so once, naming the setting and the usual fix.
    /// </summary>
    private static void EnsureWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(
                $"The report data directory '{directory}' (Reports__DataDirectory) is not writable by this process: {e.Message} " +
                "Mount a writable volume there (docker run -v appraise-data:/data; a PersistentVolumeClaim in Kubernetes), " +
                "point Reports__DataDirectory at a writable directory, or use PostgreSQL (ConnectionStrings__Reports).", e);
        }
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            await MigrateAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        var previous = Interlocked.Exchange(ref _walKeeper, connection);
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await Execute(connection, null, $"PRAGMA journal_mode = {_journalMode}", cancellationToken);
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            await Execute(connection, transaction, SqliteSql.MigrationsTable, cancellationToken);
            var applied = new HashSet<long>();
            await using (var command = Command(connection, transaction, SqliteSql.AppliedVersions))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt64(0));
                }
            }
            foreach (var migration in SchemaMigration.For("sqlite").Where(m => !applied.Contains(m.Version)))
            {
                await Execute(connection, transaction, migration.Sql, cancellationToken);
                await Execute(connection, transaction, SqliteSql.RecordMigration, cancellationToken,
                    ("$version", migration.Version), ("$name", migration.Name), ("$now", Now()));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // One process owns the file, so a lease left behind belongs to a process that is gone.
        await Execute(connection, null, SqliteSql.ReleaseAbandonedLeases, cancellationToken);
    }

    public Task EnqueueAsync(NewReport report, CancellationToken cancellationToken) =>
        WriteAsync(async scope =>
        {
            await scope.Execute(SqliteSql.InsertReport, cancellationToken,
                ("$id", report.Id), ("$event_id", report.EventId), ("$features", NumberList.Format(report.Features)),
                ("$predicted", report.PredictedValue), ("$model", report.ModelVersion), ("$created", report.CreatedAt.ToUnixTimeMilliseconds()));
            await scope.Execute(SqliteSql.InsertJob, cancellationToken,
                ("$id", report.Id), ("$available", report.CreatedAt.ToUnixTimeMilliseconds()));
        }, cancellationToken);

    public async Task<Report?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, SqliteSql.SelectReport, ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SqliteRows.Read(reader) : null;
    }

    public Task<IReadOnlyList<ReportJob>> ClaimAsync(string workerId, TimeSpan lease, int maxJobs, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<ReportJob>>(async scope =>
        {
            var now = Now();
            var claimed = new List<(string Id, int Attempt)>();
            await using (var rows = await scope.Command(SqliteSql.ClaimJobs,
                ("$owner", workerId), ("$now", now), ("$until", now + (long)lease.TotalMilliseconds), ("$limit", maxJobs)).ExecuteReaderAsync(cancellationToken))
            {
                while (await rows.ReadAsync(cancellationToken))
                {
                    claimed.Add((rows.GetString(0), rows.GetInt32(1)));
                }
            }
            var jobs = new List<ReportJob>(claimed.Count);
            foreach (var (id, attempt) in claimed)
            {
                await using (var input = await scope.Command(SqliteSql.SelectJobInput, ("$id", id)).ExecuteReaderAsync(cancellationToken))
                {
                    await input.ReadAsync(cancellationToken);
                    jobs.Add(new ReportJob(id, NumberList.Parse(input.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(input.GetInt64(1)), attempt, workerId, input.GetString(2)));
                }
                await scope.Execute(SqliteSql.MarkRunning, cancellationToken, ("$id", id), ("$attempts", attempt));
            }
            return jobs;
        }, cancellationToken);

    public Task<IReadOnlySet<string>> CompleteAsync(IReadOnlyList<CompletedJob> completed, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlySet<string>>(async scope =>
        {
            var finished = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (job, explanation, completedAt) in completed)
            {
                if (await scope.Execute(SqliteSql.CompleteReport, cancellationToken,
                    ("$id", job.ReportId), ("$baseline", explanation.Baseline), ("$contributions", NumberList.Format(explanation.Contributions)),
                    ("$completed", completedAt.ToUnixTimeMilliseconds())) == 1)
                {
                    finished.Add(job.ReportId);
                }
                else
                {
                    await scope.Execute(SqliteSql.CountDuplicateCompletion, cancellationToken, ("$id", job.ReportId));
                }
                await scope.Execute(SqliteSql.DeleteJob, cancellationToken, ("$id", job.ReportId));
            }
            return finished;
        }, cancellationToken);

    public Task FailAsync(ReportJob job, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken) =>
        WriteAsync(async scope =>
        {
            if (retryAt is { } when)
            {
                if (await scope.Execute(SqliteSql.RetryJob, cancellationToken,
                    ("$id", job.ReportId), ("$owner", job.LeaseOwner), ("$available", when.ToUnixTimeMilliseconds())) == 1)
                {
                    await scope.Execute(SqliteSql.RequeueReport, cancellationToken, ("$id", job.ReportId), ("$error", reason));
                }
            }
            else if (await scope.Execute(SqliteSql.DeleteOwnedJob, cancellationToken, ("$id", job.ReportId), ("$owner", job.LeaseOwner)) == 1)
            {
                await scope.Execute(SqliteSql.FailReport, cancellationToken, ("$id", job.ReportId), ("$error", reason), ("$completed", Now()));
            }
        }, cancellationToken);

    public Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, int maxReports, CancellationToken cancellationToken) =>
        WriteAsync(scope =>
            scope.Execute(SqliteSql.DeleteFinished, cancellationToken, ("$cutoff", cutoff.ToUnixTimeMilliseconds()), ("$limit", maxReports)),
            cancellationToken);

    public async Task<ReportQueueSnapshot> GetQueueAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, SqliteSql.QueueStats, ("$now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldest = reader.IsDBNull(2) ? 0 : Math.Max(0, now - reader.GetInt64(2));
        return new ReportQueueSnapshot(reader.GetInt64(0), reader.GetInt64(1), TimeSpan.FromMilliseconds(oldest));
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null, "SELECT 1 FROM reports LIMIT 1", cancellationToken);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _walKeeper?.Dispose();
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private Task<int> WriteAsync(Func<SqliteWriteScope, Task> work, CancellationToken cancellationToken) =>
        _writer.WriteAsync(async scope =>
        {
            await work(scope);
            return 0;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in the writer's next group commit; returns once that group is durable.</summary>
    private Task<T> WriteAsync<T>(Func<SqliteWriteScope, Task<T>> work, CancellationToken cancellationToken) =>
        _writer.WriteAsync(work, cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // synchronous is per connection; FULL makes every commit durable before the caller is answered.
        await Execute(connection, null, "PRAGMA synchronous = FULL", cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    private static async Task<int> Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
