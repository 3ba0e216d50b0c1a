using System.Net;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Predictions;

public sealed class PredictionValidationTests : IAsyncLifetime
{
    private readonly AppraiseApplication _app = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> Post(string json) => _client.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(json));

    [Fact]
    public async Task TypoInAFeatureNameIsRejectedNamingBothFields()
    {
        var errors = await ProblemAssert.Validation(await Post(Samples.Prediction.Replace("LSTAT", "LSAT", StringComparison.Ordinal)));

        Assert.Contains("payload.LSAT", errors.Keys);
        Assert.Contains("payload.LSTAT", errors.Keys);
    }

    [Fact]
    public async Task EveryBadFieldIsNamedInOneAnswer()
    {
        var body = """{"event_id": "one", "payload": {"CHAS": 2, "RM": -1, "TAX": "296", "PTRATIO": null, "B": 396.9}, "extra": true}""";

        var errors = await ProblemAssert.Validation(await Post(body));

        Assert.Equal(
            new[] { "event_id", "extra", "payload.CHAS", "payload.LSTAT", "payload.PTRATIO", "payload.RM", "payload.TAX" },
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("0 or 1", errors["payload.CHAS"][0], StringComparison.Ordinal);
        Assert.Contains("between 1 and 20", errors["payload.RM"][0], StringComparison.Ordinal);
        Assert.Contains("number", errors["payload.TAX"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryFeatureAcceptsBothEndsOfItsDocumentedRange()
    {
        // The model card documents each feature's accepted range; both bounds are inside it.
        var card = System.Text.Json.Nodes.JsonNode.Parse(await _client.GetStringAsync("/api/v1/model"))!;
        var features = card["features"]!.AsArray().Select(f => f!).ToArray();
        foreach (var feature in features)
        {
            foreach (var bound in new[] { (double)feature["minimum"]!, (double)feature["maximum"]! })
            {
                var payload = string.Join(", ", features.Select(f => FormattableString.Invariant(
                    $"\"{(string)f["name"]!}\": {(f == feature ? bound : (double)f["typical"]!)}")));

                var response = await Post("{\"event_id\": 1, \"payload\": {" + payload + "}}");

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(string)feature["name"]!} = {bound}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    [Theory]
    [InlineData("""{"payload": {"CHAS": 0, "RM": 6.5, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""", "event_id")]
    [InlineData("""{"event_id": 1}""", "payload")]
    [InlineData("""{"event_id": 1, "payload": []}""", "payload")]
    [InlineData("""{"event_id": 1.5, "payload": {"CHAS": 0, "RM": 6.5, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""", "event_id")]
    [InlineData("""{"event_id": 1, "payload": {"CHAS": 0, "RM": 1e400, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""", "payload.RM")]
    [InlineData("""{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.5, "RM": 6.6, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""", "payload.RM")]
    [InlineData("""{"event_id": 1, "payload": {"CHAS": 0.5, "RM": 6.5, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""", "payload.CHAS")]
    [InlineData("""{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.5, "TAX": 296, "PTRATIO": 15.3, "B": 400.1, "LSTAT": 4.98}}""", "payload.B")]
    [InlineData("""{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.5, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 101}}""", "payload.LSTAT")]
    [InlineData("""[1, 2]""", "$")]
    public async Task InvalidBodiesAre422NamingTheField(string body, string field)
    {
        var errors = await ProblemAssert.Validation(await Post(body));

        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("""{"event_id": 1, "payload": {""")]
    [InlineData("""{"event_id": 1,}""")]
    [InlineData("""{"event_id": 1} trailing""")]
    [InlineData("")]
    public async Task MalformedJsonIs400(string body)
    {
        await ProblemAssert.Problem(await Post(body), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task WrongContentTypeIs415(string contentType)
    {
        var response = await _client.PostAsync("/api/v1/prediction/", new StringContent(Samples.Prediction, System.Text.Encoding.UTF8, contentType));

        await ProblemAssert.Problem(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task BodyOver64KiBIs413()
    {
        var padding = new string(' ', 64 * 1024);
        await ProblemAssert.Problem(await Post(Samples.Prediction + padding), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ChunkedBodyOver64KiBIs413()
    {
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Samples.Prediction + new string(' ', 70 * 1024))));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/prediction/") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await ProblemAssert.Problem(await _client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }
}
