using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

public sealed class ShutdownTests
{
    [Fact]
    public async Task SigtermTurnsReadinessOffLetsInFlightRequestsFinishAndExitsZero()
    {
        await using var service = await ServiceProcess.StartAsync(new() { ["Shutdown__DrainDelay"] = "00:00:05", ["Shutdown__Timeout"] = "00:00:20" });
        using var client = service.CreateClient();
        // Still uploading when the 5 s drain ends: the server must wait for it before stopping.
        var content = new SlowContent(Samples.PandasOneRow, TimeSpan.FromSeconds(7));
        content.Headers.ContentType = new("application/json");
        var inFlight = client.PostAsync("/predict", content);
        await content.FirstHalfSent.Task;

        var stopwatch = Stopwatch.StartNew();
        service.Terminate();
        // Readiness says 503 while the server still listens (the drain); a closed listener means
        // the drain is over, so the poll keeps trying only within it.
        var readiness = await Eventually.Get(async () =>
        {
            try
            {
                var response = await client.GetAsync("/readyz");
                return response.StatusCode == HttpStatusCode.ServiceUnavailable ? response : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(5), "readiness to turn 503 during the drain after SIGTERM");

        Assert.Contains("Shutting down", await readiness.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var finished = await inFlight;
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal(Samples.FirstRowPrediction, (double)JsonNode.Parse(await finished.Content.ReadAsStringAsync())!["prediction"]![0]!);
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(40)), service.Output);
        Assert.Equal(0, service.ExitCode);
        // Within the shutdown timeout (20 s), with room for the process to exit after it.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"shutdown took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task AStuckRequestCannotHoldShutdownPastTheTimeout()
    {
        await using var service = await ServiceProcess.StartAsync(new() { ["Shutdown__DrainDelay"] = "00:00:00", ["Shutdown__Timeout"] = "00:00:02" });
        using var client = service.CreateClient();
        var content = new SlowContent(Samples.PandasOneRow, TimeSpan.FromSeconds(120));
        content.Headers.ContentType = new("application/json");
        _ = client.PostAsync("/predict", content);
        await content.FirstHalfSent.Task;

        var stopwatch = Stopwatch.StartNew();
        service.Terminate();

        // The request would hold the server for 120 s; the 2 s timeout ends it long before.
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(60)), service.Output);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"shutdown took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task LogsAreJsonLinesWithATraceIdAndOneLinePerRequestNoneLost()
    {
        await using var service = await ServiceProcess.StartAsync([]);
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AppraiseApplication.ApiKey);
        for (var i = 0; i < 200; i++)
        {
            await client.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction));
        }
        service.Terminate();
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), service.Output);

        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => JsonNode.Parse(line));
        var requests = lines.Select(l => JsonNode.Parse(l)!).Where(l => (string?)l["State"]?["Route"] == "/api/v1/prediction/").ToList();
        Assert.Equal(200, requests.Count);
        var request = requests[0];
        Assert.Equal("POST", (string?)request["State"]!["Method"]);
        Assert.Equal(200, (int)request["State"]!["StatusCode"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string?)request["TraceId"]);
        Assert.Matches("^[0-9a-f]{16}$", (string?)request["SpanId"]);
        Assert.DoesNotContain(AppraiseApplication.ApiKey, service.Output, StringComparison.Ordinal);
    }
}
