using Appraise.Api.Reports;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Tests.Reports;

public sealed class ReportRetentionTests
{
    [Fact]
    public async Task TheSweepDeletesFinishedReportsPastRetentionInBatches()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var data = TempDirectory.Create("appraise-data");
        var options = Options.Create(new ReportsOptions { DataDirectory = data, Retention = TimeSpan.FromDays(7) });
        var store = new Api.Reports.Sqlite.SqliteReportStore(options, new TestEnvironment(data), time);
        await store.InitializeAsync(CancellationToken.None);
        for (var i = 0; i < 1200; i++)
        {
            await store.EnqueueAsync(new NewReport(NewReport.NewId(), i, [0, 6.5, 296, 15.3, 396.9, 5], 28, "m", time.GetUtcNow()), CancellationToken.None);
        }
        var jobs = await store.ClaimAsync("worker", TimeSpan.FromMinutes(1), 1000, CancellationToken.None);
        await store.CompleteAsync(jobs.Select(j => new CompletedJob(j, new ReportExplanation(1, [0, 0, 0, 0, 0, 0]), time.GetUtcNow())).ToList(), CancellationToken.None);
        var sweeper = new ReportRetentionSweeper(store, options, time, NullLogger<ReportRetentionSweeper>.Instance);

        time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1000, await sweeper.SweepAsync(CancellationToken.None));

        Assert.Equal(200, (await store.GetQueueAsync(CancellationToken.None)).Queued);
        Assert.Null(await store.GetAsync(jobs[0].ReportId, CancellationToken.None));
    }
}
