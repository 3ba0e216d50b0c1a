using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Explanations;

/// <summary>POST /api/v1/explanation: a prediction and its reasons at once, with no key and the /predict rate limit.</summary>
public sealed class ExplanationApiTests
{
    private const string Features = """{"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}""";

    [Fact]
    public async Task TheExplanationAddsUpToThePredictionAndNeedsNoKey()
    {
        await using var app = new AppraiseApplication();

        var response = await app.CreateClient().PostAsync("/api/v1/explanation", AppraiseApplication.Json(Features));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(Samples.FirstRowPrediction, (double)body["predicted_value"]!);
        var contributions = body["contributions"]!.AsArray();
        Assert.Equal(["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"], contributions.Select(c => (string)c!["feature"]!));
        Assert.Equal(Samples.FirstRowPrediction, (double)body["baseline"]! + contributions.Sum(c => (double)c!["contribution"]!), 9);
        Assert.Equal(6.575, (double)body["input_value"]!["RM"]!);
    }

    [Fact]
    public async Task TheChartIsTheReportsWaterfallForTheSameInput()
    {
        await using var app = new AppraiseApplication();

        var response = await app.CreateClient().PostAsync("/api/v1/explanation/chart.svg", AppraiseApplication.Json(Features));

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Why the prediction is 28.3", svg, StringComparison.Ordinal);
        Assert.Contains("LSTAT = 4.98", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFeaturesAre422NamingEachField()
    {
        await using var app = new AppraiseApplication();

        var errors = await ProblemAssert.Validation(await app.CreateClient().PostAsync("/api/v1/explanation",
            AppraiseApplication.Json("""{"CHAS": 2, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 400}""")));

        Assert.Equal(["CHAS must be 0 or 1."], errors["CHAS"]);
        Assert.Equal(["LSTAT must be between 0 and 100."], errors["LSTAT"]);
    }

    [Fact]
    public async Task ItIsRateLimitedLikePredict()
    {
        await using var app = new AppraiseApplication(new() { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "2" });
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await client.PostAsync("/api/v1/explanation", AppraiseApplication.Json(Features))).StatusCode);
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
