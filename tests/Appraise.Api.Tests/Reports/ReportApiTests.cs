using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Appraise.Api.Tests.Reports;

public sealed class ReportApiTests
{
    public static async Task<string> RequestReport(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool)body["report_generated"]!);
        return (string)body["report_id"]!;
    }

    public static Task<JsonObject> WaitForCompleted(HttpClient client, string id) =>
        Eventually.Get(async () =>
        {
            var response = await client.GetAsync($"/api/v1/reports/{id}");
            return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
        }, TimeSpan.FromSeconds(20), $"report {id}");

    [Fact]
    public async Task AReportExplainsThePredictionFeatureByFeature()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateAuthorizedClient();

        var report = await WaitForCompleted(client, await RequestReport(client));

        Assert.Equal("completed", (string?)report["state"]);
        Assert.Equal(1, (long)report["event_id"]!);
        Assert.Equal(Samples.FirstRowPrediction, (double)report["predicted_value"]!);
        Assert.Equal("housing/1", (string?)report["model_version"]);
        var contributions = report["contributions"]!.AsArray();
        Assert.Equal(["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"], contributions.Select(c => (string)c!["feature"]!));
        Assert.Equal(6.575, (double)contributions[1]!["value"]!);
        var total = (double)report["baseline"]! + contributions.Sum(c => (double)c!["contribution"]!);
        Assert.Equal(Samples.FirstRowPrediction, total, 9);
        Assert.NotNull(report["created_at"]);
        Assert.NotNull(report["completed_at"]);
    }

    [Fact]
    public async Task TheReportIsOnDiskBeforeTheClientHearsBack()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateAuthorizedClient();

        var id = await RequestReport(client);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "appraise.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM reports WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task NoAnswerLeavesBeforeTheReportsTransactionCommits()
    {
        // With the rollback journal, a reader's SHARED lock lets the writer insert the report and
        // release its savepoint but holds its COMMIT (which needs the EXCLUSIVE lock): the commit
        // cannot complete while the reader reads. The caller must not hear of a report then; it
        // hears 503 when the operation timeout passes, whatever the machine's speed.
        await using var app = new AppraiseApplication(new()
        {
            ["Reports:SqliteJournalMode"] = "delete",
            ["Reports:OperationTimeout"] = "00:00:05",
        });
        var client = app.CreateAuthorizedClient();
        await RequestReport(client);
        var database = $"Data Source={Path.Combine(app.DataDirectory, "appraise.db")};Pooling=False";

        await using (var reader = new SqliteConnection(database))
        {
            await reader.OpenAsync();
            await using var transaction = reader.BeginTransaction(deferred: true);
            await using var read = reader.CreateCommand();
            read.CommandText = "SELECT COUNT(*) FROM reports";
            read.Transaction = transaction;
            await read.ExecuteScalarAsync();

            var held = await client.PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction));

            await ProblemAssert.Problem(held, HttpStatusCode.ServiceUnavailable);
        }
        // The reader gone, reports are recorded and answered again.
        await Eventually.Get(async () => (await client.PostAsync("/api/v1/prediction/?generate_report=true",
            AppraiseApplication.Json(Samples.Prediction))).StatusCode == HttpStatusCode.OK ? "answered" : null, TimeSpan.FromSeconds(30), "a report after the reader left");
    }

    [Fact]
    public async Task UnknownReportIs404ProblemDetails()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateAuthorizedClient();

        await ProblemAssert.Problem(await client.GetAsync($"/api/v1/reports/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ProblemAssert.Problem(await client.GetAsync("/api/v1/reports/not-an-id"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReadingAReportNeedsTheApiKey()
    {
        await using var app = new AppraiseApplication();
        var id = await RequestReport(app.CreateAuthorizedClient());

        var response = await app.CreateClient().GetAsync($"/api/v1/reports/{id}");

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
    }

    [Fact]
    public async Task AReportInProgressIs202WithItsState()
    {
        await using var app = new AppraiseApplication(new() { ["Reports:PollInterval"] = "00:10:00" });
        var client = app.CreateAuthorizedClient();
        await client.GetAsync("/readyz");
        // Another process queues a job and holds its lease, so it stays in progress while we look.
        var id = await ReportStoreFixtures.EnqueueDirectly(app.DataDirectory);
        Assert.Equal(id, (await ReportStoreFixtures.ClaimDirectly(app.DataDirectory))?.ReportId);

        var response = await client.GetAsync($"/api/v1/reports/{id}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("running", (string?)body["state"]);
        Assert.Null(body["contributions"]);
    }
}
