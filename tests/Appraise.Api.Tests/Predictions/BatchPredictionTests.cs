using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Predictions;

public sealed class BatchPredictionTests : IAsyncLifetime
{
    private static readonly string[] Columns = ["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"];
    private readonly AppraiseApplication _app = new(new() { ["RateLimiting:Enabled"] = "false" });
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<double[]> Predict(string json)
    {
        var response = await _client.PostAsync("/predict", AppraiseApplication.Json(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["prediction"], body.Select(p => p.Key));
        return body["prediction"]!.AsArray().Select(v => (double)v!).ToArray();
    }

    /// <summary>A DataFrame in pandas' "columns" orientation, rows keyed "0", "1", ...</summary>
    private static string ColumnsJson(IReadOnlyList<double[]> rows, Func<int, string>? key = null)
    {
        key ??= i => i.ToString(CultureInfo.InvariantCulture);
        var json = new StringBuilder("{");
        for (var c = 0; c < Columns.Length; c++)
        {
            json.Append(c == 0 ? "" : ",").Append('"').Append(Columns[c]).Append("\":{");
            json.AppendJoin(',', rows.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"\"{key(i)}\":{r[c]:R}")));
            json.Append('}');
        }
        return json.Append('}').ToString();
    }

    [Fact]
    public async Task SeedPayloadGetsTheModelsRealPrediction()
    {
        Assert.Equal([Samples.FirstRowPrediction], await Predict(Samples.PandasOneRow));
    }

    [Fact]
    public async Task EveryRowGetsItsOwnPredictionInRowOrder()
    {
        var rows = Parity.Rows.Take(250).ToList();

        var predictions = await Predict(ColumnsJson(rows.Select(r => r.Features).ToList()));

        Assert.Equal(rows.Select(r => r.Prediction), predictions);
        Assert.True(predictions.Distinct().Count() > 100, "single-row predictions must differ, unlike the seed's per-request scaler");
    }

    [Fact]
    public async Task RowsFollowTheFirstColumnsKeyOrder()
    {
        var rows = Parity.Rows.Take(3).Select(r => r.Features).ToList();
        var json = ColumnsJson(rows, i => new[] { "b", "c", "a" }[i]);

        Assert.Equal(Parity.Rows.Take(3).Select(r => r.Prediction), await Predict(json));
    }

    [Fact]
    public async Task ListColumnsArePandasRowsToo()
    {
        var json = """{"CHAS":[0],"RM":[6.575],"TAX":[296.0],"PTRATIO":[15.3],"B":[396.9],"LSTAT":[4.98]}""";

        Assert.Equal([Samples.FirstRowPrediction], await Predict(json));
    }

    [Fact]
    public async Task ColumnsWithDifferentRowsAre422()
    {
        var json = Samples.PandasOneRow.Replace("\"LSTAT\":{\"0\"", "\"LSTAT\":{\"1\"", StringComparison.Ordinal);

        var errors = await ProblemAssert.Validation(await _client.PostAsync("/predict", AppraiseApplication.Json(json)));

        Assert.Contains("LSTAT", errors.Keys);
    }

    [Fact]
    public async Task UnknownAndMissingColumnsAre422()
    {
        var json = Samples.PandasOneRow.Replace("LSTAT", "LSAT", StringComparison.Ordinal);

        var errors = await ProblemAssert.Validation(await _client.PostAsync("/predict", AppraiseApplication.Json(json)));

        Assert.Contains("LSAT", errors.Keys);
        Assert.Contains("LSTAT", errors.Keys);
    }

    [Fact]
    public async Task OutOfRangeCellIsNamedByColumnAndRow()
    {
        var json = Samples.PandasOneRow.Replace("\"RM\":{\"0\":6.575}", "\"RM\":{\"0\":-3}", StringComparison.Ordinal);

        var errors = await ProblemAssert.Validation(await _client.PostAsync("/predict", AppraiseApplication.Json(json)));

        Assert.Contains("RM.0", errors.Keys);
    }

    [Fact]
    public async Task MoreThan1000RowsAre422()
    {
        var rows = Enumerable.Repeat(Parity.Rows[0].Features, 1001).ToList();

        var errors = await ProblemAssert.Validation(await _client.PostAsync("/predict", AppraiseApplication.Json(ColumnsJson(rows))));

        Assert.Contains("1000", errors.Values.SelectMany(m => m).First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExactlyOneThousandRowsArePredicted()
    {
        var rows = Enumerable.Range(0, 1000).Select(i => Parity.Rows[i % Parity.Rows.Count].Features).ToList();

        Assert.Equal(1000, (await Predict(ColumnsJson(rows))).Length);
    }

    [Fact]
    public async Task MalformedJsonIs400AndWrongTypeIs415()
    {
        await ProblemAssert.Problem(await _client.PostAsync("/predict", AppraiseApplication.Json("{\"CHAS\":")), HttpStatusCode.BadRequest);
        await ProblemAssert.Problem(await _client.PostAsync("/predict", new StringContent(Samples.PandasOneRow)), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task PredictNeedsNoApiKey()
    {
        var response = await _client.PostAsync("/predict", AppraiseApplication.Json(Samples.PandasOneRow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
