using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Appraise.Api.Model;
using Appraise.Api.Predictions;
using Appraise.Api.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace Appraise.Api.Tests.Predictions;

/// <summary>
/// Property tests over arbitrary bytes and arbitrary JSON: the parsers either parse or say the
/// body is malformed (JsonException, a 400); no other exception, and through the HTTP pipeline
/// no answer is ever a 5xx.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly FeatureSchema Ranges = OnnxModels.Housing.Features;

    // Names a parser cares about, names it does not, and names that are broken text.
    private static readonly string[] Names =
        ["event_id", "payload", "CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT", "0", "1", "x", "", "\\udc00", "\\ud800x", "\\u0000", "é", "\\\"", "a\\u00e9"];

    private static readonly string[] Scalars =
        ["0", "1", "-1", "6.575", "1e308", "1e309", "-0", "0.0000001", "12345678901234567890", "true", "false", "null", "\"\"", "\"x\"", "\"\\udc00\""];

    /// <summary>JSON-shaped text built from the names and values the parsers meet, nested a few levels.</summary>
    private static Gen<string> JsonText(int depth) =>
        depth == 0
            ? Gen.Elements(Scalars)
            : Gen.OneOf(
                Gen.Elements(Scalars),
                Gen.ListOf(Gen.Zip(Gen.Elements(Names), JsonText(depth - 1))).Select(members =>
                    "{" + string.Join(",", members.Select(m => $"\"{m.Item1}\":{m.Item2}")) + "}"),
                Gen.ListOf(JsonText(depth - 1)).Select(items => "[" + string.Join(",", items) + "]"));

    /// <summary>JSON text with, sometimes, a few of its bytes replaced by arbitrary ones (invalid UTF-8 included).</summary>
    private static readonly Gen<byte[]> Bodies = Gen.OneOf(
        ArbMap.Default.GeneratorFor<byte[]>(),
        JsonText(4).Select(Encoding.UTF8.GetBytes),
        Gen.Zip(JsonText(4), Gen.Zip(ArbMap.Default.GeneratorFor<byte[]>(), Gen.Choose(0, int.MaxValue))).Select(t =>
        {
            var bytes = Encoding.UTF8.GetBytes(t.Item1);
            foreach (var b in t.Item2.Item1)
            {
                if (bytes.Length > 0)
                {
                    bytes[(t.Item2.Item2 + b) % bytes.Length] = b;
                }
            }
            return bytes;
        }));

    /// <summary>True when parsing <paramref name="body"/> ends in a result or in a JsonException, and nothing else.</summary>
    private static bool ParsesOrRejects(Func<ReadOnlySequence<byte>, object> parse, byte[] body)
    {
        try
        {
            _ = parse(new ReadOnlySequence<byte>(body));
            return true;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static void Holds(Gen<byte[]> bodies, Func<byte[], bool> property, int cases) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), Prop.ForAll(bodies.ToArbitrary(), property));

    [Fact]
    public void ThePredictionParserParsesOrRejectsAnyBytes() =>
        Holds(Bodies, body => ParsesOrRejects(b => PredictionRequestParser.Parse(b, Ranges), body), 5000);

    [Fact]
    public void TheFeaturesParserParsesOrRejectsAnyBytes() =>
        Holds(Bodies, body => ParsesOrRejects(b => PredictionRequestParser.ParseFeatures(b, Ranges), body), 5000);

    [Fact]
    public void TheColumnsParserParsesOrRejectsAnyBytes() =>
        Holds(Bodies, body => ParsesOrRejects(b => ColumnsBatchParser.Parse(b, Ranges), body), 5000);

    [Fact]
    public async Task NoBodyGetsA5xxFromAnyPredictionEndpoint()
    {
        await using var app = new AppraiseApplication(new() { ["RateLimiting:Enabled"] = "false" });
        var client = app.CreateAuthorizedClient();
        var bodies = Bodies.Sample(300);
        var answers = new Dictionary<HttpStatusCode, int>();

        foreach (var body in bodies)
        {
            foreach (var path in new[] { "/api/v1/prediction/", "/predict", "/api/v1/explanation" })
            {
                var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
                var status = (await client.PostAsync(path, content)).StatusCode;
                answers[status] = answers.GetValueOrDefault(status) + 1;
                Assert.True((int)status < 500, $"{path} answered {(int)status} to {Convert.ToBase64String(body)}");
            }
        }
        Assert.True(answers.Count > 1, $"every answer was {string.Join(", ", answers.Keys)}: the bodies did not vary");
    }
}
