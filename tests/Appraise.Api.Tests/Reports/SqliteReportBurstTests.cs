using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Reports;
using Appraise.Api.Reports.Sqlite;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

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

    [Fact]
    public async Task TheWorkerClaimsABacklogInGrowingBatches()
    {
        // 3,000 reports waiting when the service starts: claims of 16 would take 188 rounds (two
        // group commits each), too slow to keep up with intake; a full claim doubles the next.
        var data = TempDirectory.Create("appraise-sqlite-backlog");
        var options = Options.Create(new ReportsOptions { DataDirectory = data });
        using (var store = new SqliteReportStore(options, new TestEnvironment(data), TimeProvider.System))
        {
            await store.InitializeAsync(CancellationToken.None);
            await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => store.EnqueueAsync(
                new NewReport(NewReport.NewId(), i, [0, 6.575, 296, 15.3, 396.9, 4.98], 28, "m", TimeProvider.System.GetUtcNow()), CancellationToken.None)));
        }

        await using var service = await ServiceProcess.StartAsync(new() { ["Reports__DataDirectory"] = data });
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var claims = await Eventually.Get<long?>(async () =>
            await ReportsAtScaleTests.Counter(client, "completed") == 3000
                ? (long?)MetricText.Value(await client.GetStringAsync("/metrics"), "appraise_reports_store_duration_seconds_count{operation=\"claim\"}")
                : null,
            TimeSpan.FromSeconds(90), "3000 reports completed");

        Figures.Record(output, "a backlog of 3000 on SQLite", $"completed in {claims} claims (fixed batches of 16: 188)");
        Assert.InRange(claims!.Value, 1, 40);
        Assert.Equal(0, await ReportsAtScaleTests.Counter(client, "duplicate"));
    }

    [Fact]
    public async Task KilledUnderReportLoadEveryAcknowledgedReportIsProducedAfterRestart()
    {
        // Group commit answers a caller only after the transaction holding its report is on disk:
        // SIGKILL in the middle of a stream of reports must not lose one that was acknowledged.
        var data = TempDirectory.Create("appraise-sqlite-kill");
        var settings = new Dictionary<string, string?> { ["RateLimiting__Enabled"] = "false", ["Reports__DataDirectory"] = data };
        IReadOnlyList<string> ids;
        await using (var service = await ServiceProcess.StartAsync(settings))
        {
            using var client = Client(service);
            ids = await ReportLoad.KillUnderLoad([client], client, service.Kill, 500, TimeSpan.Zero);
        }

        await using var restarted = await ServiceProcess.StartAsync(settings);
        using var reader = Client(restarted);
        var completed = 0;
        var lost = 0;
        foreach (var id in ids)
        {
            var response = await reader.GetAsync($"/api/v1/reports/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                lost++;
                continue;
            }
            completed += (string?)(await ReportApiTests.WaitForCompleted(reader, id))["state"] == "completed" ? 1 : 0;
        }
        var duplicated = await DuplicateCompletions(data);
        Figures.Record(output, "kill -9 under report load (SQLite)",
            $"acknowledged {ids.Count}, completed after restart {completed}, lost {lost}, duplicated {duplicated}");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(0, lost);
        Assert.Equal(ids.Count, completed);
        Assert.Equal(0, duplicated);
    }

    private static HttpClient Client(ServiceProcess service)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AppraiseApplication.ApiKey);
        return client;
    }

    private static async Task<long> DuplicateCompletions(string data)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "appraise.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(duplicate_completions), 0) FROM reports";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
