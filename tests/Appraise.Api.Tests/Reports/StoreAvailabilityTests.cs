using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;
using Npgsql;

namespace Appraise.Api.Tests.Reports;

/// <summary>
/// Availability does not hang on the report database: a real process starts and serves
/// predictions without it, migrates when it arrives, and takes a rotated password from a
/// mounted file without a restart. Each test has its own PostgreSQL server.
/// </summary>
public sealed class StoreAvailabilityTests
{
    private static HttpClient Client(ServiceProcess service)
    {
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AppraiseApplication.ApiKey);
        return client;
    }

    private static Task<HttpResponseMessage> RequestReport(HttpClient client) =>
        client.PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction));

    private static async Task<bool> StoreUp(HttpClient client) =>
        MetricText.Value(await client.GetStringAsync("/metrics"), "appraise_reports_store_up") == 1;

    [Fact]
    public async Task WithTheDatabaseDownAtStartItServesPredictionsAndMigratesOnceTheDatabaseAnswers()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        await server.StopAsync();

        // Ready although the database is away: StartAsync waits for /readyz 200.
        await using var service = await ServiceProcess.StartAsync(new() { ["ConnectionStrings__Reports"] = database, ["Reports__OperationTimeout"] = "00:00:02" });
        using var client = Client(service);

        var readiness = JsonNode.Parse(await client.GetStringAsync("/readyz"))!;
        Assert.Equal("degraded", (string?)readiness["checks"]!["report_store"]!["status"]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction))).StatusCode);
        await ProblemAssert.Problem(await RequestReport(client), HttpStatusCode.ServiceUnavailable);
        Assert.False(await StoreUp(client));
        Assert.Contains("Report store not ready, retrying in the background", service.Output, StringComparison.Ordinal);

        await server.StartAgainAsync();
        var accepted = await Eventually.Get(async () =>
        {
            var response = await RequestReport(client);
            return response.StatusCode == HttpStatusCode.OK ? (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["report_id"] : null;
        }, TimeSpan.FromSeconds(90), "a report accepted once the database is back");

        var report = await ReportApiTests.WaitForCompleted(client, accepted);
        Assert.Equal("completed", (string?)report["state"]);
        Assert.True(await StoreUp(client));
        Assert.False(service.HasExited);
    }

    [Fact]
    public async Task ARotatedPasswordInTheMountedConnectionStringIsUsedWithoutARestart()
    {
        await using var server = await PostgresServer.StartAsync(passwordAuthentication: true);
        var name = await server.CreateDatabaseNamedAsync();
        await server.ExecuteAsync(name, $"CREATE ROLE appraise_app LOGIN PASSWORD 'first-password'; ALTER DATABASE {name} OWNER TO appraise_app; GRANT ALL ON SCHEMA public TO appraise_app");
        string ConnectionString(string password) => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = server.Port,
            Database = name,
            Username = "appraise_app",
            Password = password,
        }.ConnectionString;
        var config = TempDirectory.Create("mounted-secret");
        var file = Path.Combine(config, "ConnectionStrings__Reports");
        await File.WriteAllTextAsync(file, ConnectionString("first-password"));

        await using var service = await ServiceProcess.StartAsync(new() { ["ConfigDirectory"] = config, ["Reports__OperationTimeout"] = "00:00:02" });
        using var client = Client(service);
        Assert.Equal(HttpStatusCode.OK, (await RequestReport(client)).StatusCode);

        // The password changes in the database and every open connection is cut, as a rotation
        // that revokes the old secret does: until the new secret is mounted, reports fail.
        await server.ExecuteAsync(name, "ALTER ROLE appraise_app PASSWORD 'second-password'");
        await server.ExecuteAsync(name, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'appraise_app'");
        await Eventually.Get(async () => (await RequestReport(client)).StatusCode == HttpStatusCode.ServiceUnavailable ? "" : null,
            TimeSpan.FromSeconds(30), "reports to fail with the revoked password");

        await File.WriteAllTextAsync(file, ConnectionString("second-password"));
        var accepted = await Eventually.Get(async () =>
        {
            var response = await RequestReport(client);
            return response.StatusCode == HttpStatusCode.OK ? (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["report_id"] : null;
        }, TimeSpan.FromSeconds(60), "a report accepted with the new password");

        Assert.Equal("completed", (string?)(await ReportApiTests.WaitForCompleted(client, accepted))["state"]);
        Assert.False(service.HasExited);
        Assert.Contains("connection string changed", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("second-password", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("first-password", service.Output, StringComparison.Ordinal);
    }
}
