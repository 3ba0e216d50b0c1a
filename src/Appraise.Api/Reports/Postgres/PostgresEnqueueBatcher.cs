using System.Threading.Channels;
using Npgsql;

namespace Appraise.Api.Reports.Postgres;

/// <summary>
/// Reports accepted by concurrent requests go to PostgreSQL together: whatever is waiting when a
/// batch starts is inserted by one statement (one round trip, one commit), and each caller is
/// answered after that commit. A few batches run at once, so one slow commit does not hold the
/// next ones. A batch that fails fails each of its callers (503); nothing is acknowledged that was
/// not committed.
/// </summary>
internal sealed class PostgresEnqueueBatcher : IDisposable
{
    private const int MaxBatch = 256;
    private const int ConcurrentBatches = 4;

    private readonly Func<NpgsqlDataSource> _dataSource;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _loops;

    public PostgresEnqueueBatcher(Func<NpgsqlDataSource> dataSource)
    {
        _dataSource = dataSource;
        _loops = [.. Enumerable.Range(0, ConcurrentBatches).Select(_ => Task.Run(RunAsync))];
    }

    public Task EnqueueAsync(NewReport report, CancellationToken cancellationToken)
    {
        var pending = new Pending(report, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        Task.WaitAll(_loops, TimeSpan.FromSeconds(10));
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Done.TrySetCanceled(pending.CancellationToken);
                    continue;
                }
                batch.Add(pending);
            }
            if (batch.Count > 0)
            {
                await InsertAsync(batch);
            }
        }
    }

    private async Task InsertAsync(List<Pending> batch)
    {
        try
        {
            var values = batch[0].Report.Features.Length;
            await using var connection = await _dataSource().OpenConnectionAsync();
            await using var command = new NpgsqlCommand(PostgresSql.EnqueueMany, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => Guid.Parse(p.Report.Id)).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Report.EventId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = batch.SelectMany(p => p.Report.Features).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Report.PredictedValue).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Report.ModelVersion).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Report.CreatedAt.ToUniversalTime()).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = values });
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
            return;
        }
        foreach (var pending in batch)
        {
            pending.Done.TrySetResult();
        }
    }

    private sealed record Pending(NewReport Report, CancellationToken CancellationToken)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
