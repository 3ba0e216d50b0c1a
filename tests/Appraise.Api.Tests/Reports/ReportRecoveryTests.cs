using System.Net;
using System.Text.Json.Nodes;
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
        JsonObject before;
        await using (var first = new AppraiseApplication(dataDirectory: data))
        {
            var client = first.CreateAuthorizedClient();
            id = await ReportApiTests.RequestReport(client);
            before = await ReportApiTests.WaitForCompleted(client, id);
        }

        await using var second = new AppraiseApplication(dataDirectory: data);
        var response = await second.CreateAuthorizedClient().GetAsync($"/api/v1/reports/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(id, (string?)report["report_id"]);
        Assert.Equal("completed", (string?)report["state"]);
        Assert.Equal(Samples.FirstRowPrediction, (double)report["predicted_value"]!);
        // Everything survived, the explanation included: the same report, field for field.
        Assert.Equal(before.ToJsonString(), report.ToJsonString());
        Assert.Equal(6, report["contributions"]!.AsArray().Count);
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

    [Fact]
    public async Task AJobThatKeepsFailingIsRetriedThenMarkedFailedWithItsError()
    {
        var data = TempDirectory.Create("appraise-data");
        // A row written with five features (as by a broken older release): producing it always fails.
        var poison = await ReportStoreFixtures.EnqueueDirectly(data, [0, 6.575, 296, 15.3, 396.9]);
        var healthy = await ReportStoreFixtures.EnqueueDirectly(data);

        await using var app = new AppraiseApplication(new() { ["Reports:MaxAttempts"] = "3", ["Reports:RetryDelay"] = "00:00:00.050" }, dataDirectory: data);
        var client = app.CreateAuthorizedClient();

        JsonObject failed;
        try
        {
            failed = await ReportApiTests.WaitForCompleted(client, poison);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Join("\n", app.Logs.Lines.Where(l => l.Contains("Report", StringComparison.Ordinal))));
        }
        Assert.Equal("failed", (string?)failed["state"]);
        Assert.Equal(3, (int)failed["attempts"]!);
        Assert.Contains("6 values", (string?)failed["error"], StringComparison.Ordinal);
        Assert.Null(failed["contributions"]);
        Assert.Equal("completed", (string?)(await ReportApiTests.WaitForCompleted(client, healthy))["state"]);

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("appraise_reports_jobs_total{outcome=\"retried\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("appraise_reports_jobs_total{outcome=\"failed\"} 1", metrics, StringComparison.Ordinal);
    }
}
