using System.Data.Common;
using Appraise.Api.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>
/// Reports in a SQLite file: the embedded default for a single process. WAL journal with
/// synchronous=FULL, so a committed report survives a crash or power loss.
/// </summary>
public sealed class SqliteReportStore : IReportStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public SqliteReportStore(IOptions<ReportsOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        var directory = Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        DatabasePath = Path.Combine(directory, "appraise.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            // No pooling: a pooled connection would keep using a database file that was replaced or
            // deleted underneath it, and report traffic is bound by fsync, not by opening.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)options.Value.OperationTimeout.TotalSeconds),
        }.ToString();
        _time = time;
    }

    public string DatabasePath { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, SqliteSchema.Create, cancellationToken);
        // One process owns the file, so any lease left behind belongs to a process that is gone.
        await ExecuteAsync(connection, null, SqliteSchema.ReleaseAbandonedLeases, cancellationToken);
    }

    public async Task EnqueueAsync(NewReport report, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, SqliteSchema.InsertReport, cancellationToken,
            ("$id", report.Id), ("$event_id", report.EventId), ("$features", NumberList.Format(report.Features)),
            ("$predicted", report.PredictedValue), ("$model", report.ModelVersion), ("$created", report.CreatedAt.ToUnixTimeMilliseconds()));
        await ExecuteAsync(connection, transaction, SqliteSchema.InsertJob, cancellationToken,
            ("$id", report.Id), ("$available", report.CreatedAt.ToUnixTimeMilliseconds()));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Report?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, SqliteSchema.SelectReport, ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReportRows.Read(reader) : null;
    }

    public async Task<ReportJob?> ClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        string? reportId = null;
        var attempt = 0;
        await using (var claim = Command(connection, transaction, SqliteSchema.ClaimJob,
            ("$owner", workerId), ("$now", now), ("$until", now + (long)lease.TotalMilliseconds)))
        await using (var claimed = await claim.ExecuteReaderAsync(cancellationToken))
        {
            if (await claimed.ReadAsync(cancellationToken))
            {
                reportId = claimed.GetString(0);
                attempt = claimed.GetInt32(1);
            }
        }
        ReportJob? job = null;
        if (reportId is not null)
        {
            await using (var select = Command(connection, transaction, SqliteSchema.SelectJobInput, ("$id", reportId)))
            await using (var input = await select.ExecuteReaderAsync(cancellationToken))
            {
                await input.ReadAsync(cancellationToken);
                job = new ReportJob(reportId, NumberList.Parse(input.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(input.GetInt64(1)), attempt, workerId);
            }
            await ExecuteAsync(connection, transaction, SqliteSchema.MarkRunning, cancellationToken, ("$id", reportId), ("$attempts", attempt));
        }
        await transaction.CommitAsync(cancellationToken);
        return job;
    }

    public async Task<bool> CompleteAsync(ReportJob job, ReportExplanation explanation, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, SqliteSchema.CompleteReport, cancellationToken,
            ("$id", job.ReportId), ("$baseline", explanation.Baseline), ("$contributions", NumberList.Format(explanation.Contributions)),
            ("$completed", completedAt.ToUnixTimeMilliseconds()));
        await ExecuteAsync(connection, transaction, SqliteSchema.DeleteJob, cancellationToken, ("$id", job.ReportId));
        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    public async Task FailAsync(ReportJob job, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (retryAt is { } when)
        {
            await ExecuteAsync(connection, transaction, SqliteSchema.RetryJob, cancellationToken, ("$id", job.ReportId), ("$available", when.ToUnixTimeMilliseconds()));
            await ExecuteAsync(connection, transaction, SqliteSchema.RequeueReport, cancellationToken, ("$id", job.ReportId), ("$error", reason));
        }
        else
        {
            await ExecuteAsync(connection, transaction, SqliteSchema.FailReport, cancellationToken,
                ("$id", job.ReportId), ("$error", reason), ("$completed", _time.GetUtcNow().ToUnixTimeMilliseconds()));
            await ExecuteAsync(connection, transaction, SqliteSchema.DeleteJob, cancellationToken, ("$id", job.ReportId));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ReportQueueSnapshot> GetQueueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, SqliteSchema.QueueStats, ("$now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldest = reader.IsDBNull(2) ? 0 : Math.Max(0, now - reader.GetInt64(2));
        return new ReportQueueSnapshot(reader.GetInt64(0), reader.GetInt64(1), TimeSpan.FromMilliseconds(oldest));
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT 1 FROM reports LIMIT 1", cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // synchronous is per connection; FULL makes every commit durable before the caller is answered.
        await ExecuteAsync(connection, null, "PRAGMA synchronous = FULL", cancellationToken);
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

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using DbCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
