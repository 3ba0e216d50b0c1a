using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;
using Npgsql;

namespace Appraise.Api.Tests.Reports;

/// <summary>Several real appraise processes on one real PostgreSQL database.</summary>
[Collection(PostgresTests.Name)]
public sealed class ReportsAtScaleTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static Dictionary<string, string?> Replica(string connectionString, string lease = "00:00:30") => new()
    {
        ["ConnectionStrings__Reports"] = connectionString,
        ["Reports__Lease"] = lease,
        ["Reports__PollInterval"] = "00:00:00.100",
        ["RateLimiting__Enabled"] = "false",
    };

    private static HttpClient Client(ServiceProcess replica)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AppraiseApplication.ApiKey);
        return client;
    }

    [Fact]
    public async Task AReportRequestedThroughOneReplicaIsReadThroughAnother()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var a = await ServiceProcess.StartAsync(Replica(database));
        await using var b = await ServiceProcess.StartAsync(Replica(database));
        using var clientA = Client(a);
        using var clientB = Client(b);

        var id = await ReportApiTests.RequestReport(clientA);
        var report = await ReportApiTests.WaitForCompleted(clientB, id);

        Assert.Equal("completed", (string?)report["state"]);
        Assert.Equal(Samples.FirstRowPrediction, (double)report["predicted_value"]!);
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync($"/api/v1/reports/{id}/chart.svg")).StatusCode);
    }

    [Fact]
    public async Task AThousandConcurrentReportRequestsOverTwoReplicasAreEachProducedOnce()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var a = await ServiceProcess.StartAsync(Replica(database));
        await using var b = await ServiceProcess.StartAsync(Replica(database));
        using var clientA = Client(a);
        using var clientB = Client(b);

        var burst = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i =>
            (i % 2 == 0 ? clientA : clientB).PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction))));
        burst.Stop();
        var accepted = new List<string>();
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            accepted.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["report_id"]!);
        }

        var outcome = await WaitForAll(database, accepted);
        var completions = await Counter(clientA, "completed") + await Counter(clientB, "completed");
        var duplicates = await DuplicateCompletions(database);
        Figures.Record(output, "1000 concurrent over 2 replicas",
            $"accepted {accepted.Count} in {burst.Elapsed.TotalSeconds:0.0} s, completed {outcome.Completed}, lost {outcome.Lost}, duplicated {duplicates}, " +
            $"completion latency p50 {outcome.P50Ms:0} ms, p99 {outcome.P99Ms:0} ms");
        Assert.Equal(1000, accepted.Distinct().Count());
        Assert.Equal(1000, outcome.Completed);
        Assert.Equal(0, outcome.Lost);
        Assert.Equal(1000, completions);
        Assert.Equal(0, duplicates);
    }

    [Fact]
    public async Task KillingAReplicaThatHoldsClaimedJobsLosesAndDuplicatesNothing()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var a = await ServiceProcess.StartAsync(Replica(database, lease: "00:00:03"));
        await using var b = await ServiceProcess.StartAsync(Replica(database, lease: "00:00:03"));
        using var clientB = Client(b);
        var ids = await Backlog(database, 3000);

        // Kill A the moment the database shows it holding leases.
        var stranded = await Eventually.Get(async () =>
        {
            var held = await Scalar(database, "SELECT count(*) FROM report_jobs WHERE lease_owner LIKE $1", $"%/{a.ProcessId}/%");
            if (held == 0)
            {
                return (long?)null;
            }
            a.Kill();
            return await Scalar(database, "SELECT count(*) FROM report_jobs WHERE lease_owner LIKE $1", $"%/{a.ProcessId}/%");
        }, TimeSpan.FromSeconds(30), "replica A to hold claimed jobs");

        var outcome = await WaitForAll(database, ids);
        // Counted in the database: the killed replica's own counters died with it.
        var duplicates = await DuplicateCompletions(database);
        Figures.Record(output, "kill -9 with claimed jobs",
            $"jobs {ids.Count}, held by the killed replica {stranded}, completed {outcome.Completed}, lost {outcome.Lost}, duplicated {duplicates}, " +
            $"p99 completion latency {outcome.P99Ms:0} ms");
        Assert.True(stranded > 0);
        Assert.True(ids.Count == outcome.Completed, string.Join('\n', b.Output.Split('\n').Where(l => !l.Contains("\"Information\"", StringComparison.Ordinal)).Take(20)));
        Assert.Equal(0, outcome.Lost);
        Assert.Equal(0, duplicates);
    }

    [Fact]
    public async Task KillingAReplicaUnderReportLoadLosesNoAcknowledgedReport()
    {
        // Reports from concurrent requests are inserted in batches: a replica killed between
        // batches must not have acknowledged anything its last commit did not hold.
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var a = await ServiceProcess.StartAsync(Replica(database, lease: "00:00:03"));
        await using var b = await ServiceProcess.StartAsync(Replica(database, lease: "00:00:03"));
        using var clientA = Client(a);
        using var clientB = Client(b);
        // B keeps taking reports for a second after A is gone, so batches on both sides of the kill count.
        var ids = await ReportLoad.KillUnderLoad([clientA, clientB], clientA, a.Kill, 1000, TimeSpan.FromSeconds(1));
        var outcome = await WaitForAll(database, ids);
        var duplicates = await DuplicateCompletions(database);
        Figures.Record(output, "kill -9 under report load (PostgreSQL, 2 replicas)",
            $"acknowledged {ids.Count}, completed {outcome.Completed}, lost {outcome.Lost}, duplicated {duplicates}, p99 completion latency {outcome.P99Ms:0} ms");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(0, outcome.Lost);
        Assert.Equal(ids.Count, outcome.Completed);
        Assert.Equal(0, duplicates);
    }

    /// <summary>Accepted reports already waiting in the database, as if requested a moment ago.</summary>
    public static async Task<List<string>> Backlog(string database, int count)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH report AS (
                INSERT INTO reports (id, event_id, state, features, predicted_value, model_version, created_at)
                SELECT gen_random_uuid(), n, 'queued', ARRAY[0, 6.575, 296, 15.3, 396.9, 4.98], 28.3, 'housing/1', now()
                FROM generate_series(1, $1) AS n
                RETURNING id)
            INSERT INTO report_jobs (report_id, available_at) SELECT id, now() FROM report RETURNING report_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0).ToString("D"));
        }
        return ids;
    }

    public sealed record Outcome(int Completed, int Lost, double P50Ms, double P99Ms);

    /// <summary>Waits until every accepted report is finished, then counts what became of them.</summary>
    public static async Task<Outcome> WaitForAll(string database, IReadOnlyCollection<string> accepted, int timeoutSeconds = 90)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(timeoutSeconds) && await Scalar(database, "SELECT count(*) FROM report_jobs") > 0)
        {
            await Task.Delay(200);
        }
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, extract(epoch FROM completed_at - created_at) * 1000 FROM reports WHERE state = 'completed' AND id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = accepted.Select(Guid.Parse).ToArray() });
        var latencies = new List<double>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                latencies.Add(Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture));
            }
        }
        return new Outcome(latencies.Count, accepted.Count - latencies.Count, Figures.Percentile(latencies, 50), Figures.Percentile(latencies, 99));
    }

    /// <summary>Reports produced again after they were finished, as every replica recorded them in the database.</summary>
    public static Task<long> DuplicateCompletions(string database) =>
        Scalar(database, "SELECT coalesce(sum(duplicate_completions), 0)::bigint FROM reports");

    public static async Task<long> Scalar(string database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>appraise_reports_jobs_total{outcome=...} as one replica reports it.</summary>
    public static async Task<long> Counter(HttpClient replica, string outcome)
    {
        var metrics = await replica.GetStringAsync("/metrics");
        var prefix = $"appraise_reports_jobs_total{{outcome=\"{outcome}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
