using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Predictions;

public sealed class PredictionApiTests
{
    [Theory]
    [InlineData("/api/v1/prediction/")]
    [InlineData("/api/v1/prediction")]
    public async Task PredictionReturnsTheModelsPriceAndEchoesTheInput(string path)
    {
        await using var app = new AppraiseApplication();
        var response = await app.CreateAuthorizedClient().PostAsync(path, AppraiseApplication.Json(Samples.Prediction));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["event_id", "input_value", "predicted_value", "report_generated", "report_id", "model_version"], body.Select(p => p.Key));
        Assert.Equal(1, (long)body["event_id"]!);
        Assert.Equal(Samples.FirstRowPrediction, (double)body["predicted_value"]!);
        Assert.False((bool)body["report_generated"]!);
        Assert.Null(body["report_id"]);
        Assert.Equal("housing/1", (string?)body["model_version"]);
        var input = body["input_value"]!.AsObject();
        Assert.Equal(["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"], input.Select(p => p.Key));
        Assert.Equal(6.575, (double)input["RM"]!);
    }

    [Fact]
    public async Task PredictionAcceptsTheApiKeyHeaderTheOriginalTestsSend()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("api-key", AppraiseApplication.ApiKey);

        var response = await client.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("")]
    [InlineData("test-key-012345678")]
    public async Task PredictionReturns418WhenKeyIsMissingOrWrong(string? key)
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", key);
        }

        var response = await client.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction));

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("""{"message":"InvalidSecretKeyError: X-Api-Key invalid"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PredictionChecksTheKeyBeforeLookingAtTheBody()
    {
        await using var app = new AppraiseApplication();
        var response = await app.CreateClient().PostAsync("/api/v1/prediction/", new StringContent("not json", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    public async Task GenerateReportAcceptsTheUsualSpellings(string flag, bool expected)
    {
        await using var app = new AppraiseApplication();
        var response = await app.CreateAuthorizedClient().PostAsync($"/api/v1/prediction/?generate_report={flag}", AppraiseApplication.Json(Samples.Prediction));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(expected, (bool)body["report_generated"]!);
        Assert.Equal(expected, body["report_id"] is not null);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("")]
    public async Task GenerateReportRejectsAnythingElseWith422(string flag)
    {
        await using var app = new AppraiseApplication();
        var response = await app.CreateAuthorizedClient().PostAsync($"/api/v1/prediction/?generate_report={flag}", AppraiseApplication.Json(Samples.Prediction));

        var errors = await ProblemAssert.Validation(response);
        Assert.Contains("generate_report", errors.Keys);
    }
}
