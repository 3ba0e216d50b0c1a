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
        var rows = Parity.Rows.Take(50).SelectMany(r => r.Features).ToArray();
        var predictions = new double[50];

        Model.PredictMany(rows, predictions);

        Assert.Equal(Parity.Rows.Take(50).Select(r => r.Prediction), predictions);
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
    public void InferenceAllocatesNothingPerRow()
    {
        var rows = Parity.Rows.Take(200).SelectMany(r => r.Features).ToArray();
        var predictions = new double[200];
        Model.PredictMany(rows, predictions);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Model.PredictMany(rows, predictions);
            Model.Predict(rows.AsSpan(0, HousingFeatures.Count));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
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
