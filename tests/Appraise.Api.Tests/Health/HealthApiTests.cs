using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Appraise.Api.Tests.Health;

public sealed class HealthApiTests
{
    [Fact]
    public async Task LivenessAndReadinessAreHealthyWhenAllIsWell()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!.AsObject();
        Assert.Equal(["shutdown", "model", "report_store"], checks.Select(c => c.Key));
        Assert.All(checks, c => Assert.Equal("healthy", (string?)c.Value!["status"]));
    }

    [Fact]
    public async Task ABrokenStoreLeavesTheInstanceReadyAndServingPredictionsWithTheStoreShownDegraded()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(app.DataDirectory))
        {
            File.Delete(file);
        }
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "appraise.db"), "this is not a database, it is a mistake");

        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("degraded", (string?)body["status"]);
        Assert.Equal("degraded", (string?)body["checks"]!["report_store"]!["status"]);
        Assert.Contains("unreachable", (string?)body["checks"]!["report_store"]!["description"], StringComparison.Ordinal);
        Assert.Equal("healthy", (string?)body["checks"]!["model"]!["status"]);

        var authorized = app.CreateAuthorizedClient();
        Assert.Equal(HttpStatusCode.OK, (await authorized.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/predict", AppraiseApplication.Json(Samples.PandasOneRow))).StatusCode);
        var report = await authorized.PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction));
        await ProblemAssert.Problem(report, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0, MetricText.Value(await client.GetStringAsync("/metrics"), "appraise_reports_store_up"));
    }

    [Fact]
    public async Task ReadinessTurns503AsSoonAsShutdownBeginsWhileRequestsAreStillServed()
    {
        // A drain far longer than the test, so no timing decides the outcome; the test ends it by
        // cancelling the stop, as the shutdown timeout would.
        await using var app = new AppraiseApplication(new() { ["Shutdown:DrainDelay"] = "00:01:00", ["Shutdown:Timeout"] = "00:02:00" });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        using var endDrain = new CancellationTokenSource();
        var stopping = app.Services.GetRequiredService<IHost>().StopAsync(endDrain.Token);

        // The very first answer after the stop began: readiness is turned off before the host's
        // stop first waits on anything.
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("Shutting down", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/helloworld")).StatusCode);
        Assert.False(stopping.IsCompleted, "the host stopped before its drain delay was over");

        await endDrain.CancelAsync();
        await stopping;
    }

    [Fact]
    public async Task AHostStoppedAgainAfterItWasDisposedStopsWithoutAnError()
    {
        // The order a test host can see: the program's Run stops and disposes the host once it is
        // told to stop, and WebApplicationFactory stops it again on its own disposal.
        await using var app = new AppraiseApplication();
        var host = app.Services.GetRequiredService<IHost>();
        await host.StopAsync();
        host.Dispose();

        await host.StopAsync();
    }
}
