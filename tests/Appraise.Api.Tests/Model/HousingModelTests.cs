using Appraise.Api.Model;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Model;

public sealed class HousingModelTests
{
    private static readonly HousingModel Model = ModelLoader.Load(path: null);

    [Fact]
    public void EveryParityRowMatchesScikitLearnTo1e9Relative()
    {
        Assert.True(Parity.Rows.Count >= 200, $"parity file has {Parity.Rows.Count} rows");
        foreach (var row in Parity.Rows)
        {
            var predicted = Model.Predict(row.Features);
            var relative = Math.Abs(predicted - row.Prediction) / Math.Max(1e-12, Math.Abs(row.Prediction));
            Assert.True(relative <= 1e-9, $"[{string.Join(", ", row.Features)}]: C# {predicted:R}, scikit-learn {row.Prediction:R}");
        }
    }

    [Fact]
    public void PredictManyMatchesPredictRowByRow()
    {
        // Parity rows, then rows that sit exactly on split thresholds (where float32 rounding
        // decides the side), more than one block of 64 and not a multiple of 8.
        var thresholds = Model.Document.Trees.SelectMany(t => t.Feature.Zip(t.Threshold)).Where(s => s.First >= 0).Distinct().ToArray();
        var rows = Parity.Rows.Take(150).Select(r => r.Features.ToArray()).ToList();
        foreach (var (feature, threshold) in thresholds.Take(301))
        {
            var row = Parity.Rows[rows.Count % Parity.Rows.Count].Features.ToArray();
            row[feature] = threshold;
            rows.Add(row);
        }
        var flat = rows.SelectMany(r => r).ToArray();
        var predictions = new double[rows.Count];

        Model.PredictMany(flat, predictions);

        Assert.Equal(rows.Select(r => Model.Predict(r)), predictions);
    }

    [Fact]
    public void BaselinePlusContributionsEqualsThePrediction()
    {
        var contributions = new double[HousingFeatures.Count];
        foreach (var row in Parity.Rows.Take(100))
        {
            Model.Explain(row.Features, contributions);
            Assert.Equal(Model.Predict(row.Features), Model.Baseline + contributions.Sum(), 9);
        }
    }

    [Fact]
    public void LowerStatusShareIsTheStrongestDriverForTheFirstRowAndRaisesItsPrice()
    {
        var contributions = new double[HousingFeatures.Count];
        Model.Explain(Parity.Rows[0].Features, contributions);

        var strongest = contributions.Select(Math.Abs).ToList().IndexOf(contributions.Max(Math.Abs));
        Assert.Equal("LSTAT", HousingFeatures.All[strongest].Name);
        // 4.98 % lower-status population is well below the data's median: it lifts the price.
        Assert.True(contributions[strongest] > 0, $"LSTAT contribution {contributions[strongest]}");
    }

    [Fact]
    public void ABatchOfEveryParityRowMatchesScikitLearnBitForBit()
    {
        // 806 rows: many blocks, the last one partial; 86 of the 300 trees have leaves above the bottom.
        var rows = Parity.Rows.SelectMany(r => r.Features).ToArray();
        var predictions = new double[Parity.Rows.Count];

        Model.PredictMany(rows, predictions);

        Assert.Equal(Parity.Rows.Select(r => r.Prediction), predictions);
    }

    /// <summary>A one-tree model: the root splits on RM, its left child is a leaf, its right side goes two levels deeper.</summary>
    private const string UnevenTree = """
        {"feature":[1,-1,5,-1,0,-1,-1],"threshold":[6.5,0,10.0,0,0.5,0,0],"left":[1,-1,3,-1,5,-1,-1],"right":[2,-1,4,-1,6,-1,-1],"value":[0,-2.0,0,5.0,0,7.0,9.0]}
        """;

    private static HousingModel OneTreeModel(string tree)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(ModelFileText())!;
        json["trees"] = new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonNode.Parse(tree));
        var path = Path.Combine(TempDirectory.Create("model"), "one-tree.json");
        File.WriteAllText(path, json.ToJsonString());
        return ModelLoader.Load(path);
    }

    private static string ModelFileText()
    {
        using var stream = typeof(ModelLoader).Assembly.GetManifestResourceStream("Appraise.Api.Model.housing-gbr.json")!;
        return new StreamReader(stream).ReadToEnd();
    }

    [Theory]
    [InlineData(6.5, 4.98, 0, -2.0)]     // RM <= 6.5 exactly: left, the shallow leaf
    [InlineData(6.5000001, 4.98, 0, -2.0)] // above 6.5 in float64, but 6.5 in float32 (as scikit-learn reads it): left
    [InlineData(6.5000005, 4.98, 0, 5.0)] // above 6.5 in float32 too: right, then LSTAT <= 10
    [InlineData(7.0, 12.0, 0, 7.0)]       // right, LSTAT > 10, CHAS <= 0.5
    [InlineData(7.0, 12.0, 1, 9.0)]       // right, LSTAT > 10, CHAS > 0.5
    public void AnUnevenTreeGivesTheSameLeafInABatchAsAlone(double rm, double lstat, double chas, double leaf)
    {
        var model = OneTreeModel(UnevenTree);
        double[] row = [chas, rm, 296, 15.3, 396.9, lstat];
        double[] rows = [.. row, .. row, .. row];
        var predictions = new double[3];

        model.PredictMany(rows, predictions);

        var expected = model.Document.InitValue + (model.Document.LearningRate * leaf);
        Assert.Equal(expected, model.Predict(row));
        Assert.All(predictions, p => Assert.Equal(expected, p));
    }

    [Fact]
    public void ATreeDeeperThanTheCompleteLayoutTakesStillPredictsTheSameInABatch()
    {
        // A chain of 12 splits on LSTAT (thresholds 1, 2, ... 12), deeper than CompleteTrees.MaxDepth.
        var feature = new List<int>();
        var threshold = new List<double>();
        var left = new List<int>();
        var right = new List<int>();
        var value = new List<double>();
        for (var level = 0; level < 12; level++)
        {
            var node = feature.Count;
            feature.AddRange([5, -1]);
            threshold.AddRange([level + 1, 0]);
            left.AddRange([node + 1, -1]);
            right.AddRange([node + 2, -1]);
            value.AddRange([0, level]);
        }
        feature.Add(-1);
        threshold.Add(0);
        left.Add(-1);
        right.Add(-1);
        value.Add(100);
        var tree = System.Text.Json.JsonSerializer.Serialize(new { feature, threshold, left, right, value });
        var model = OneTreeModel(tree);
        double[] rows = [.. Enumerable.Range(0, 14).SelectMany(i => new double[] { 0, 6.5, 296, 15.3, 396.9, i + 0.5 })];
        var predictions = new double[14];

        model.PredictMany(rows, predictions);

        Assert.Equal(Enumerable.Range(0, 14).Select(i => model.Predict(rows.AsSpan(i * 6, 6))), predictions);
        Assert.Equal(model.Document.InitValue + (model.Document.LearningRate * 100), predictions[13]);
    }

    [Fact]
    public void EmbeddedModelCarriesItsTrainingRecord()
    {
        Assert.Equal(ModelLoader.SupportedFormat, Model.Document.Format);
        Assert.Equal(300, Model.TreeCount);
        Assert.NotNull(Model.Document.Metrics);
        Assert.InRange(Model.Document.Metrics!.HoldoutR2, 0.7, 1.0);
    }
}
