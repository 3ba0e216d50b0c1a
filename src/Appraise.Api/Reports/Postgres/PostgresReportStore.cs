using Appraise.Api.Metrics;
using Appraise.Api.Reports.Migrations;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace Appraise.Api.Reports.Postgres;

/// <summary>
/// Reports in PostgreSQL, shared by every replica. Jobs are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> under an expiring lease; connections are pooled and every
/// operation is bounded by the connection and command timeouts.
/// </summary>
public sealed partial class PostgresReportStore : IReportStore, IAsyncDisposable
{
    public const int DefaultMaxPoolSize = 20;

    private readonly IConfiguration _configuration;
    private readonly TimeSpan _operationTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresReportStore> _logger;
    private readonly IDisposable _reloadSubscription;
    private readonly PostgresEnqueueBatcher _batcher;
    private NpgsqlDataSource _dataSource;
    private string _connectionString;

    public PostgresReportStore(IOptions<ReportsOptions> options, IConfiguration configuration, TimeProvider time, ILogger<PostgresReportStore>? logger = null)
    {
        _configuration = configuration;
        _operationTimeout = options.Value.OperationTimeout;
        _time = time;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresReportStore>.Instance;
        _connectionString = ConnectionString();
        _dataSource = Build(_connectionString, _operationTimeout);
        // A rotated password arrives as a changed file under ConfigDirectory (or a reloaded
        // setting): new connections use it from then on, without a restart.
        _reloadSubscription = ChangeToken.OnChange(configuration.GetReloadToken, ReloadIfChanged);
        _batcher = new PostgresEnqueueBatcher(() => DataSource);
    }

    private NpgsqlDataSource DataSource => Volatile.Read(ref _dataSource);

    private string ConnectionString() => _configuration.GetConnectionString(ReportsOptions.ConnectionStringName) ?? "";

    private static NpgsqlDataSource Build(string connectionString, TimeSpan operationTimeout)
    {
        var timeout = Math.Max(1, (int)Math.Ceiling(operationTimeout.TotalSeconds));
        var connection = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = timeout,
            CommandTimeout = timeout,
            // Errors must never echo report data into logs.
            IncludeErrorDetail = false,
            KeepAlive = 30,
        };
        // Keys holds only what the string set (ContainsKey answers for every known keyword).
        if (!connection.Keys.Any(key => key == "Maximum Pool Size"))
        {
            // Npgsql's default of 100 per replica exhausts a server's max_connections long before
            // the HPA's ceiling, and on two cores a thousand-request burst was accepted 2.5 times
            // faster with 20 than with 100 (fewer backends competing for the CPU).
            connection.MaxPoolSize = DefaultMaxPoolSize;
        }
        var builder = new NpgsqlSlimDataSourceBuilder(connection.ConnectionString);
        builder.EnableArrays();
        return builder.Build();
    }

    private void ReloadIfChanged()
    {
        var current = ConnectionString();
        if (current.Length == 0 || current == Volatile.Read(ref _connectionString))
        {
            return;
        }
        NpgsqlDataSource replacement;
        try
        {
            replacement = Build(current, _operationTimeout);
        }
        catch (ArgumentException e)
        {
            LogReloadRefused(e.Message);
            return;
        }
        Volatile.Write(ref _connectionString, current);
        var previous = Interlocked.Exchange(ref _dataSource, replacement);
        LogReloaded();
        // Operations in flight finish on the old pool; it closes once they are surely done.
        _ = Task.Delay(_operationTimeout * 2).ContinueWith(_ => previous.DisposeAsync().AsTask(), TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The report store's connection string changed: new connections use it")]
    private partial void LogReloaded();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The report store's connection string changed but cannot be used, keeping the previous one: {Reason}")]
    private partial void LogReloadRefused(string reason);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Everyone waits here; the first applies what is missing, the rest then find nothing to do.
        await Execute(connection, PostgresSql.LockForMigration, cancellationToken, PostgresSql.MigrationLock);
        await Execute(connection, PostgresSql.MigrationsTable, cancellationToken);
        var applied = new HashSet<int>();
        await using (var command = Command(connection, PostgresSql.AppliedVersions))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        foreach (var migration in SchemaMigration.For("postgres").Where(m => !applied.Contains(m.Version)))
        {
            await Execute(connection, migration.Sql, cancellationToken);
            await Execute(connection, PostgresSql.RecordMigration, cancellationToken, migration.Version, migration.Name);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Inserted together with the reports other requests are accepting at the same moment (one statement, one commit).</summary>
    public Task EnqueueAsync(NewReport report, CancellationToken cancellationToken) => _batcher.EnqueueAsync(report, cancellationToken);

    public async Task<Report?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var key))
        {
            return null;
        }
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, PostgresSql.SelectReport, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? PostgresRows.Read(reader) : null;
    }

    public async Task<IReadOnlyList<ReportJob>> ClaimAsync(string workerId, TimeSpan lease, int maxJobs, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, PostgresSql.Claim, now, workerId, now + lease, maxJobs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<ReportJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new ReportJob(reader.GetGuid(0).ToString("D"), reader.GetFieldValue<double[]>(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt32(1), workerId, reader.GetString(4)));
        }
        return jobs;
    }

    public async Task<IReadOnlySet<string>> CompleteAsync(IReadOnlyList<CompletedJob> completed, CancellationToken cancellationToken)
    {
        // One statement slices every report's contributions by one length: reports of models with
        // other feature counts (a new default version) go in a statement of their own.
        var lengths = completed.Select(c => c.Explanation.Contributions.Length).Distinct().ToList();
        if (lengths.Count > 1)
        {
            var all = new HashSet<string>(StringComparer.Ordinal);
            foreach (var length in lengths)
            {
                all.UnionWith(await CompleteAsync([.. completed.Where(c => c.Explanation.Contributions.Length == length)], cancellationToken));
            }
            return all;
        }
        var values = completed.Count == 0 ? 0 : completed[0].Explanation.Contributions.Length;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, PostgresSql.Complete,
            completed.Select(c => Guid.Parse(c.Job.ReportId)).ToArray(),
            completed.Select(c => c.Explanation.Baseline).ToArray(),
            completed.SelectMany(c => c.Explanation.Contributions).ToArray(),
            completed.Select(c => c.CompletedAt.ToUniversalTime()).ToArray(),
            values);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            finished.Add(reader.GetGuid(0).ToString("D"));
        }
        return finished;
    }

    public async Task FailAsync(ReportJob job, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        if (retryAt is { } when)
        {
            await Execute(connection, PostgresSql.Retry, cancellationToken, Guid.Parse(job.ReportId), job.LeaseOwner, when.ToUniversalTime(), reason);
        }
        else
        {
            await Execute(connection, PostgresSql.Fail, cancellationToken, Guid.Parse(job.ReportId), job.LeaseOwner, reason, _time.GetUtcNow());
        }
    }

    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, int maxReports, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await Execute(connection, PostgresSql.DeleteFinished, cancellationToken, cutoff.ToUniversalTime(), maxReports);
    }

    public async Task<ReportQueueSnapshot> GetQueueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, PostgresSql.QueueStats, now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldest = reader.IsDBNull(2) ? TimeSpan.Zero : now - reader.GetFieldValue<DateTimeOffset>(2);
        return new ReportQueueSnapshot(reader.GetInt64(0), reader.GetInt64(1), oldest < TimeSpan.Zero ? TimeSpan.Zero : oldest);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "SELECT 1 FROM schema_migrations LIMIT 1", cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _batcher.Dispose();
        _reloadSubscription.Dispose();
        return DataSource.DisposeAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
