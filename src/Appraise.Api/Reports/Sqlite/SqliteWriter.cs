using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Appraise.Api.Reports.Sqlite;

/// <summary>
/// The only writer of the SQLite file, with group commit. Every write (a report accepted, jobs
/// claimed, completed, failed, swept) is a unit queued here; the writer takes everything waiting,
/// runs each unit in its own savepoint inside one transaction, commits once (one fsync under
/// synchronous=FULL for the whole group) and only then answers each caller. A unit that fails is
/// rolled back to its savepoint and fails alone; a commit that fails fails the whole group, and
/// no caller of it is told its write happened. SQLite has one writer at a time anyway: queueing
/// here, asynchronously, replaces both the lock waits (Microsoft.Data.Sqlite sleeps and retries
/// on a busy database) and one fsync per report (docs/performance.md).
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    /// <summary>Units per transaction at most: bounds how long one commit keeps its callers waiting.</summary>
    private const int MaxGroup = 256;

    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public SqliteWriter(Func<CancellationToken, Task<SqliteConnection>> open)
    {
        _open = open;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Runs <paramref name="work"/> in the next group's transaction; completes once that transaction is committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteScope, Task<T>> work, CancellationToken cancellationToken)
    {
        var unit = new Unit<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(unit), this);
        // A caller that stops waiting (its operation timeout) is answered at once; its unit is
        // skipped if it has not run yet, or committed with its group if it has.
        return unit.Result.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<Unit>(MaxGroup);
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && reader.TryRead(out var unit))
            {
                if (unit.CancellationToken.IsCancellationRequested)
                {
                    unit.Cancel();
                    continue;
                }
                group.Add(unit);
            }
            if (group.Count > 0)
            {
                await CommitGroupAsync(group);
            }
        }
    }

    private async Task CommitGroupAsync(List<Unit> group)
    {
        var succeeded = new List<Unit>(group.Count);
        try
        {
            await using var connection = await _open(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using (var scope = new SqliteWriteScope(connection, transaction))
            {
                foreach (var unit in group)
                {
                    await scope.Execute("SAVEPOINT unit", CancellationToken.None);
                    try
                    {
                        await unit.RunAsync(scope);
                        await scope.Execute("RELEASE unit", CancellationToken.None);
                        succeeded.Add(unit);
                    }
                    catch (Exception e)
                    {
                        await scope.Execute("ROLLBACK TO unit", CancellationToken.None);
                        await scope.Execute("RELEASE unit", CancellationToken.None);
                        unit.Fail(e);
                    }
                }
            }
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            // Not committed (the file cannot be opened, the disk is full, ...): nothing of this group
            // happened, so every caller hears so (a unit that already failed keeps its own reason).
            foreach (var unit in group)
            {
                unit.Fail(e);
            }
            return;
        }
        foreach (var unit in succeeded)
        {
            unit.Complete();
        }
    }

    private abstract class Unit(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public abstract Task RunAsync(SqliteWriteScope scope);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class Unit<T>(Func<SqliteWriteScope, Task<T>> work, CancellationToken cancellationToken) : Unit(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override async Task RunAsync(SqliteWriteScope scope) =>
            _value = await work(scope);

        public override void Complete() => _result.TrySetResult(_value!);

        public override void Fail(Exception exception) => _result.TrySetException(exception);

        public override void Cancel() => _result.TrySetCanceled(CancellationToken);
    }
}
