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
    public async Task ReadinessTurns503AsSoonAsShutdownBegins()
    {
        await using var app = new AppraiseApplication(new() { ["Shutdown:DrainDelay"] = "00:00:10", ["Shutdown:Timeout"] = "00:00:20" });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        var stopping = app.Services.GetRequiredService<IHost>().StopAsync();
        var ready = await Eventually.Get(async () =>
        {
            var response = await client.GetAsync("/readyz");
            return response.StatusCode == HttpStatusCode.ServiceUnavailable ? await response.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromSeconds(8), "readiness to turn 503");

        Assert.Contains("Shutting down", ready, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/helloworld")).StatusCode);
        await stopping;
    }
}
