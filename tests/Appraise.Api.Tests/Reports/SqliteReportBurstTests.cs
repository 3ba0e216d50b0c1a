using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Reports;

/// <summary>The embedded SQLite store taking a burst of report requests, in a real process.</summary>
public sealed class SqliteReportBurstTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ABurstOfConcurrentReportRequestsIsAllAcceptedAndEachProducedOnce()
    {
        // SQLite takes one writer at a time: 300 requests at once all queue for it, and each must
        // still be accepted within the operation timeout and produced exactly once.
        await using var service = await ServiceProcess.StartAsync(new() { ["RateLimiting__Enabled"] = "false" });
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", AppraiseApplication.ApiKey);

        var burst = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ =>
            client.PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction))));
        burst.Stop();

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var ids = new List<string>();
        foreach (var response in responses)
        {
            ids.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["report_id"]!);
        }
        foreach (var id in ids)
        {
            Assert.Equal("completed", (string?)(await ReportApiTests.WaitForCompleted(client, id))["state"]);
        }
        var completions = await ReportsAtScaleTests.Counter(client, "completed");
        Figures.Record(output, "300 concurrent on SQLite", $"accepted {ids.Count} in {burst.Elapsed.TotalSeconds:0.00} s, completed {completions}");
        Assert.Equal(300, ids.Distinct().Count());
        Assert.Equal(300, completions);
        Assert.Equal(0, await ReportsAtScaleTests.Counter(client, "duplicate"));
    }
}
