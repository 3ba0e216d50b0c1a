using Appraise.Api.Reports;
using Appraise.Api.Reports.Migrations;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Reports.Contract;

/// <summary>What every report store must do, run against each real store (SQLite, PostgreSQL).</summary>
public abstract class ReportStoreContract
{
    private static readonly double[] Features = [0, 6.575, 296, 15.3, 396.9, 4.98];
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    protected abstract Task<string> NewDatabaseAsync();

    protected abstract IReportStore OpenStore(string database, TimeProvider time);

    protected abstract string Provider { get; }

    /// <summary>One number from the store's own database, read directly (not through the store).</summary>
    protected abstract Task<long> ScalarAsync(string database, string sql);

    private async Task<IReportStore> NewStoreAsync() => (await NewStoreWithDatabaseAsync()).Store;

    private async Task<(IReportStore Store, string Database)> NewStoreWithDatabaseAsync()
    {
        var database = await NewDatabaseAsync();
        var store = OpenStore(database, _time);
        await store.InitializeAsync(CancellationToken.None);
        return (store, database);
    }

    private async Task<string> Enqueue(IReportStore store, long eventId = 1)
    {
        var id = NewReport.NewId();
        await store.EnqueueAsync(new NewReport(id, eventId, Features, 28.3, "housing-gbr-test", _time.GetUtcNow()), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        return id;
    }

    private static ReportExplanation Explanation => new(22.5, [0.1, 0.2, 0.3, 0.4, 0.5, 4.3]);

    private async Task<bool> Complete(IReportStore store, ReportJob job, ReportExplanation explanation) =>
        (await store.CompleteAsync([new CompletedJob(job, explanation, _time.GetUtcNow())], CancellationToken.None)).Contains(job.ReportId);

    [Fact]
    public async Task AnEnqueuedReportIsQueuedWithItsInput()
    {
        var store = await NewStoreAsync();
        var createdAt = _time.GetUtcNow();
        var id = await Enqueue(store, eventId: 42);

        var report = (await store.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(ReportState.Queued, report.State);
        Assert.Equal(42, report.EventId);
        Assert.Equal(Features, report.Features);
        Assert.Equal(28.3, report.PredictedValue);
        Assert.Equal("housing-gbr-test", report.ModelVersion);
        Assert.Equal(createdAt, report.CreatedAt);
        Assert.Null(report.Explanation);
        Assert.Null(await store.GetAsync(NewReport.NewId(), CancellationToken.None));
    }

    [Fact]
    public async Task ClaimTakesTheOldestJobsUpToTheBatchAndMarksThemRunning()
    {
        var store = await NewStoreAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Enqueue(store));
        }

        var jobs = await store.ClaimAsync("worker-a", Lease, 3, CancellationToken.None);

        // The three enqueued first (their available_at is 1 ms apart on the manual clock). Ids made
        // in the same millisecond have no order between them, so the ids are compared as a set.
        Assert.Equal(ids.Take(3).ToHashSet(StringComparer.Ordinal), jobs.Select(j => j.ReportId).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(3, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(1, j.Attempt));
        Assert.All(jobs, j => Assert.Equal(Features, j.Features));
        Assert.Equal(ReportState.Running, (await store.GetAsync(ids[0], CancellationToken.None))!.State);
        Assert.Equal(ReportState.Queued, (await store.GetAsync(ids[4], CancellationToken.None))!.State);
    }

    [Fact]
    public async Task AClaimedJobBelongsToItsWorkerUntilTheLeaseExpires()
    {
        var store = await NewStoreAsync();
        var id = await Enqueue(store);
        Assert.Single(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None));

        Assert.Empty(await store.ClaimAsync("worker-b", Lease, 10, CancellationToken.None));
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var retaken = Assert.Single(await store.ClaimAsync("worker-b", Lease, 10, CancellationToken.None));

        Assert.Equal(id, retaken.ReportId);
        Assert.Equal(2, retaken.Attempt);
    }

    [Fact]
    public async Task CompletionIsIdempotentStoresOneResultAndRecordsTheDuplicate()
    {
        var (store, database) = await NewStoreWithDatabaseAsync();
        var id = await Enqueue(store);
        var first = Assert.Single(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None));
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await store.ClaimAsync("worker-b", Lease, 10, CancellationToken.None));

        Assert.True(await Complete(store, second, Explanation));
        Assert.False(await Complete(store, first, new ReportExplanation(0, [9, 9, 9, 9, 9, 9])));

        var report = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(ReportState.Completed, report.State);
        Assert.Equal(Explanation.Contributions, report.Explanation!.Contributions);
        Assert.Equal(_time.GetUtcNow(), report.CompletedAt);
        Assert.Empty(await store.ClaimAsync("worker-c", Lease, 10, CancellationToken.None));
        Assert.Equal(0, (await store.GetQueueAsync(CancellationToken.None)).Queued);
        Assert.Equal(1, await ScalarAsync(database, "SELECT sum(duplicate_completions) FROM reports"));
    }

    [Fact]
    public async Task ABatchOfCompletionsStoresEachReportWithItsOwnResult()
    {
        var store = await NewStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await Enqueue(store, eventId: i);
        }
        var jobs = await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None);
        var completed = jobs.Select((job, i) => new CompletedJob(job, new ReportExplanation(i, [i, i + 1, i + 2, i + 3, i + 4, i + 5]), _time.GetUtcNow())).ToList();

        var finished = await store.CompleteAsync(completed, CancellationToken.None);
        var again = await store.CompleteAsync(completed, CancellationToken.None);

        Assert.Equal(jobs.Select(j => j.ReportId).Order(StringComparer.Ordinal), finished.Order(StringComparer.Ordinal));
        Assert.Empty(again);
        foreach (var (job, explanation, _) in completed)
        {
            var report = (await store.GetAsync(job.ReportId, CancellationToken.None))!;
            Assert.Equal(ReportState.Completed, report.State);
            Assert.Equal(explanation.Baseline, report.Explanation!.Baseline);
            Assert.Equal(explanation.Contributions, report.Explanation.Contributions);
        }
    }

    [Fact]
    public async Task AFailedAttemptIsRetriedAfterItsDelay()
    {
        var store = await NewStoreAsync();
        var id = await Enqueue(store);
        var job = Assert.Single(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None));

        await store.FailAsync(job, "transient trouble", _time.GetUtcNow() + TimeSpan.FromSeconds(10), CancellationToken.None);

        var report = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(ReportState.Queued, report.State);
        Assert.Equal("transient trouble", report.Error);
        Assert.Empty(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(2, Assert.Single(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None)).Attempt);
    }

    [Fact]
    public async Task AFinalFailureMarksTheReportFailedWithItsError()
    {
        var store = await NewStoreAsync();
        var id = await Enqueue(store);
        var job = Assert.Single(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None));

        await store.FailAsync(job, "permanent trouble", retryAt: null, CancellationToken.None);

        var report = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(ReportState.Failed, report.State);
        Assert.Equal("permanent trouble", report.Error);
        Assert.NotNull(report.CompletedAt);
        Assert.Empty(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None));
    }

    [Fact]
    public async Task AWorkerThatLostItsLeaseCannotFailTheJob()
    {
        var store = await NewStoreAsync();
        var id = await Enqueue(store);
        var stale = Assert.Single(await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None));
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var current = Assert.Single(await store.ClaimAsync("worker-b", Lease, 10, CancellationToken.None));

        await store.FailAsync(stale, "too late", retryAt: null, CancellationToken.None);
        Assert.Equal(ReportState.Running, (await store.GetAsync(id, CancellationToken.None))!.State);
        Assert.True(await Complete(store, current, Explanation));
        Assert.Equal(ReportState.Completed, (await store.GetAsync(id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task RetentionDeletesOnlyFinishedReportsOlderThanTheCutoff()
    {
        var store = await NewStoreAsync();
        var oldDone = await Enqueue(store);
        var oldQueued = await Enqueue(store);
        var job = (await store.ClaimAsync("worker-a", Lease, 1, CancellationToken.None)).Single(j => j.ReportId == oldDone);
        await Complete(store, job, Explanation);
        var cutoff = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        _time.Advance(TimeSpan.FromDays(1));
        var recent = await Enqueue(store);
        var recentJob = (await store.ClaimAsync("worker-a", Lease, 10, CancellationToken.None)).Single(j => j.ReportId == recent);
        await Complete(store, recentJob, Explanation);

        Assert.Equal(1, await store.DeleteFinishedBeforeAsync(cutoff, 100, CancellationToken.None));

        Assert.Null(await store.GetAsync(oldDone, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(oldQueued, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(recent, CancellationToken.None));
    }

    [Fact]
    public async Task TheQueueSnapshotCountsWaitingAndRunningJobsAndTheOldestAge()
    {
        var store = await NewStoreAsync();
        await Enqueue(store);
        await Enqueue(store);
        await Enqueue(store);
        await store.ClaimAsync("worker-a", Lease, 1, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));

        var queue = await store.GetQueueAsync(CancellationToken.None);

        Assert.Equal(2, queue.Queued);
        Assert.Equal(1, queue.Running);
        Assert.InRange(queue.OldestQueuedAge, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(21));
    }

    [Fact]
    public async Task ConcurrentWorkersNeverClaimTheSameJob()
    {
        var database = await NewDatabaseAsync();
        var setup = OpenStore(database, TimeProvider.System);
        await setup.InitializeAsync(CancellationToken.None);
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var id = NewReport.NewId();
            await setup.EnqueueAsync(new NewReport(id, i, Features, 28.3, "housing-gbr-test", DateTimeOffset.UtcNow.AddSeconds(-1)), CancellationToken.None);
            ids.Add(id);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var store = OpenStore(database, TimeProvider.System);
            var mine = new List<string>();
            while (await store.ClaimAsync($"worker-{w}", Lease, 5, CancellationToken.None) is { Count: > 0 } jobs)
            {
                mine.AddRange(jobs.Select(j => j.ReportId));
            }
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ManyReplicasStartingAtOnceMigrateExactlyOnce()
    {
        var database = await NewDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => OpenStore(database, TimeProvider.System).InitializeAsync(CancellationToken.None))));
        await OpenStore(database, TimeProvider.System).InitializeAsync(CancellationToken.None);

        Assert.Equal(SchemaMigration.For(Provider).Count, await ScalarAsync(database, "SELECT count(*) FROM schema_migrations"));
        await OpenStore(database, TimeProvider.System).PingAsync(CancellationToken.None);
    }
}
