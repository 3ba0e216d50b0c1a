using System.Net;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Reports;

public sealed class ReportRecoveryTests
{
    [Fact]
    public async Task JobsLeftQueuedOrRunningByAStoppedProcessAreFinishedAtTheNextStart()
    {
        var data = TempDirectory.Create("appraise-data");
        var queued = await ReportStoreFixtures.EnqueueDirectly(data);
        var running = await ReportStoreFixtures.EnqueueDirectly(data);
        // A process claimed one job and died holding its lease.
        var claimed = await ReportStoreFixtures.ClaimDirectly(data);
        Assert.NotNull(claimed);

        await using var app = new AppraiseApplication(dataDirectory: data);
        var client = app.CreateAuthorizedClient();

        foreach (var id in new[] { queued, running })
        {
            var report = await ReportApiTests.WaitForCompleted(client, id);
            Assert.Equal("completed", (string?)report["state"]);
            Assert.Equal(7, (long)report["event_id"]!);
        }
    }

    [Fact]
    public async Task ReportsSurviveARestartOfTheService()
    {
        var data = TempDirectory.Create("appraise-data");
        string id;
        await using (var first = new AppraiseApplication(dataDirectory: data))
        {
            var client = first.CreateAuthorizedClient();
            id = await ReportApiTests.RequestReport(client);
            await ReportApiTests.WaitForCompleted(client, id);
        }

        await using var second = new AppraiseApplication(dataDirectory: data);
        var response = await second.CreateAuthorizedClient().GetAsync($"/api/v1/reports/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ManyConcurrentReportRequestsAreAllProduced()
    {
        await using var app = new AppraiseApplication(new() { ["RateLimiting:Enabled"] = "false" });
        var client = app.CreateAuthorizedClient();

        var ids = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => ReportApiTests.RequestReport(client)));

        Assert.Equal(100, ids.Distinct().Count());
        foreach (var id in ids)
        {
            Assert.Equal("completed", (string?)(await ReportApiTests.WaitForCompleted(client, id))["state"]);
        }
    }
}
