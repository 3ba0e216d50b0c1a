using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Reports;

/// <summary>The database stops and starts again while two replicas are under load. Has its own server.</summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WhileTheDatabaseIsDownRequestsGet503AndNoAcceptedJobIsLost()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Reports"] = database,
            ["Reports__OperationTimeout"] = "00:00:02",
            ["RateLimiting__Enabled"] = "false",
        };
        await using var a = await ServiceProcess.StartAsync(settings);
        await using var b = await ServiceProcess.StartAsync(settings);
        using var clientA = Client(a);
        using var clientB = Client(b);

        var accepted = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var slowest = TimeSpan.Zero;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var client = worker % 2 == 0 ? clientA : clientB;
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                var response = await client.PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction));
                lock (statuses)
                {
                    slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                }
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    accepted.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["report_id"]!);
                }
                else
                {
                    await Task.Delay(20);
                }
            }
        })).ToList();

        // Each phase waits for what it needs to see, with a generous deadline, instead of a fixed sleep.
        await Eventually.Get(() => Task.FromResult(accepted.Count >= 50 ? "" : null), TimeSpan.FromSeconds(60), "50 reports accepted before the outage");
        var beforeOutage = accepted.Count;
        await server.StopAsync();
        await Eventually.Get(() => Task.FromResult(statuses.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) >= 20 ? "" : null),
            TimeSpan.FromSeconds(60), "report requests answered 503 while the database is down");
        // Still ready (predictions need no database), with the store shown as degraded.
        var readinessDuringOutage = await Eventually.Get(async () =>
        {
            var response = await clientA.GetAsync("/readyz");
            var body = await response.Content.ReadAsStringAsync();
            return body.Contains("\"degraded\"", StringComparison.Ordinal) ? $"{(int)response.StatusCode} degraded" : null;
        }, TimeSpan.FromSeconds(30), "readiness to show the database outage");
        var predictionDuringOutage = (await clientA.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction))).StatusCode;
        var storeUpDuringOutage = MetricText.Value(await clientA.GetStringAsync("/metrics"), "appraise_reports_store_up") == 0;
        var duringOutage = accepted.Count;
        await server.StartAgainAsync();
        await Eventually.Get(() => Task.FromResult(accepted.Count >= duringOutage + 50 ? "" : null),
            TimeSpan.FromSeconds(60), "50 reports accepted after the database came back");
        var afterRecovery = accepted.Count - duringOutage;
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await Eventually.Get(async () => (await clientB.GetStringAsync("/readyz")).StartsWith("{\"status\":\"healthy\"", StringComparison.Ordinal) ? "healthy" : null,
            TimeSpan.FromSeconds(30), "the store healthy again after the outage");

        var ids = accepted.ToList();
        var outcome = await ReportsAtScaleTests.WaitForAll(database, ids);
        var duplicates = await ReportsAtScaleTests.DuplicateCompletions(database);
        var unexpected = statuses.Where(s => s.Key is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)).ToList();
        Figures.Record(output, "database outage under load",
            $"accepted {ids.Count} ({beforeOutage} before, {afterRecovery} after recovery), 503s {statuses.GetValueOrDefault(HttpStatusCode.ServiceUnavailable)}, " +
            $"other answers {unexpected.Sum(s => s.Value)}, slowest answer {slowest.TotalMilliseconds:0} ms, completed {outcome.Completed}, " +
            $"lost {outcome.Lost}, duplicated {duplicates}, p99 completion latency {outcome.P99Ms:0} ms");

        // Every answer was either a prediction with its report or a clean 503: nothing else.
        Assert.Empty(unexpected);
        Assert.Equal("200 degraded", readinessDuringOutage);
        Assert.Equal(HttpStatusCode.OK, predictionDuringOutage);
        Assert.True(storeUpDuringOutage, "appraise_reports_store_up was not 0 during the outage");
        // The operation timeout is 2 s; a request that took far longer hung on the database.
        Assert.True(slowest < TimeSpan.FromSeconds(15), $"a request hung for {slowest}");
        Assert.Equal(0, outcome.Lost);
        Assert.Equal(ids.Count, outcome.Completed);
        Assert.Equal(0, duplicates);
    }

    private static HttpClient Client(ServiceProcess replica)
    {
        var client = new HttpClient { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AppraiseApplication.ApiKey);
        return client;
    }
}
