using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Predictions;

/// <summary>
/// Text that is not UTF-8 and \u escapes that are half a surrogate pair, anywhere a name is read
/// (top-level key, payload key, column, row key): malformed JSON, so 400, never a 500.
/// </summary>
public sealed class MalformedTextTests
{
    private const string LoneSurrogate = "\\udc00";
    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28];

    private static ByteArrayContent Body(byte[] bytes, string mediaType = "application/json; charset=utf-8") =>
        new(bytes) { Headers = { ContentType = MediaTypeHeaderValue.Parse(mediaType) } };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Splices raw bytes into a JSON text at a marker.</summary>
    private static byte[] WithBytes(string json, string marker, byte[] bytes)
    {
        var at = json.IndexOf(marker, StringComparison.Ordinal);
        return [.. Utf8(json[..at]), .. bytes, .. Utf8(json[(at + marker.Length)..])];
    }

    public static TheoryData<string, string> EscapedNames => new()
    {
        { "/api/v1/prediction/", """{"~": 1}""".Replace("~", LoneSurrogate, StringComparison.Ordinal) },
        { "/api/v1/prediction/", """{"event_id": 1, "payload": {"~": 0}}""".Replace("~", LoneSurrogate, StringComparison.Ordinal) },
        { "/api/v1/prediction/", """{"event_id": 1, "payload": {"CHAS": 0, "RM~": 6}}""".Replace("~", LoneSurrogate, StringComparison.Ordinal) },
        { "/predict", """{"~": {"0": 1}}""".Replace("~", LoneSurrogate, StringComparison.Ordinal) },
        { "/predict", """{"CHAS": {"~": 0}}""".Replace("~", LoneSurrogate, StringComparison.Ordinal) },
        { "/predict", """{"RM": {"0": 6.5}, "CHAS": {"a~b": 0}}""".Replace("~", LoneSurrogate, StringComparison.Ordinal) },
        { "/api/v1/explanation", """{"~": 0}""".Replace("~", LoneSurrogate, StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(EscapedNames))]
    public async Task AHalfSurrogateEscapeInANameIs400(string path, string json)
    {
        await using var app = new AppraiseApplication();

        var response = await app.CreateAuthorizedClient().PostAsync(path, Body(Utf8(json)));

        var problem = await ProblemAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> RawNames => new()
    {
        { "/api/v1/prediction/", """{"@": 1}""" },
        { "/api/v1/prediction/", """{"event_id": 1, "payload": {"@": 0}}""" },
        { "/predict", """{"@": {"0": 1}}""" },
        { "/predict", """{"CHAS": {"@": 0}}""" },
        { "/api/v1/explanation", """{"@": 0}""" },
    };

    [Theory]
    [MemberData(nameof(RawNames))]
    public async Task BytesThatAreNotUtf8InANameAre400(string path, string json)
    {
        await using var app = new AppraiseApplication();

        var response = await app.CreateAuthorizedClient().PostAsync(path, Body(WithBytes(json, "@", InvalidUtf8)));

        await ProblemAssert.Problem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Latin1TextSentAsLatin1Is400()
    {
        await using var app = new AppraiseApplication();
        var latin1 = Encoding.Latin1.GetBytes("""{"CHAS": {"Zürich": 0}}""");

        var response = await app.CreateClient().PostAsync("/predict", Body(latin1, "application/json; charset=latin1"));

        await ProblemAssert.Problem(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("""{"event_id": 1, "event_id": 2, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""", "event_id")]
    [InlineData("""{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}, "payload": {}}""", "payload")]
    public async Task ARepeatedTopLevelKeyIs422LikeARepeatedFeature(string json, string field)
    {
        await using var app = new AppraiseApplication();

        var errors = await ProblemAssert.Validation(await app.CreateAuthorizedClient().PostAsync("/api/v1/prediction/", AppraiseApplication.Json(json)));

        Assert.Equal(["Given more than once."], errors[field]);
    }
}
