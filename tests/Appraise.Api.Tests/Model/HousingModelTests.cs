using Appraise.Api.Model;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Model;

/// <summary>The embedded model (model/housing/1, made by model/train.py): scikit-learn's own predictions, bit for bit.</summary>
public sealed class HousingModelTests
{
    private static readonly ServedModel Model = OnnxModels.Housing;

    private static double[] Predict(double[] rows)
    {
        var predictions = new double[rows.Length / Model.Features.Count];
        Model.PredictNumbers(rows, predictions);
        return predictions;
    }

    [Fact]
    public void EveryParityRowIsScikitLearnsPredictionBitForBit()
    {
        Assert.True(Parity.Rows.Count >= 800, $"parity file has {Parity.Rows.Count} rows");
        foreach (var row in Parity.Rows)
        {
            var predicted = Model.PredictNumber(row.Features);
            Assert.True(predicted == row.Prediction, $"[{string.Join(", ", row.Features)}]: C# {predicted:R}, scikit-learn {row.Prediction:R}");
        }
    }

    [Fact]
    public void ABatchOfEveryParityRowIsScikitLearnsBitForBit()
    {
        // 806 rows: many blocks of the complete-tree layout, the last one partial.
        Assert.True(Model.Ensemble.HasFastPath);

        Assert.Equal(Parity.Rows.Select(r => r.Prediction), Predict([.. Parity.Rows.SelectMany(r => r.Features)]));
    }

    [Fact]
    public void ABatchMatchesOneRowAtATimeOnThresholdsTheirNeighboursAndMissingValues()
    {
        // Rows placed exactly on split thresholds and one step either side (where the float32
        // rounding scikit-learn applies decides the side), and rows with a NaN (the node walk).
        var spec = Model.Ensemble.Spec;
        var splits = spec.NodeIds.Select((_, n) => n).Where(n => spec.NodeModes[n] != Api.Trees.NodeMode.Leaf)
            .Select(n => ((int)spec.NodeFeatureIds[n], spec.NodeValues[n])).Distinct().ToArray();
        var rows = new List<double[]>();
        foreach (var (feature, threshold) in splits)
        {
            foreach (var value in new[] { threshold, Math.BitDecrement(threshold), Math.BitIncrement(threshold), (double)MathF.BitIncrement((float)threshold), double.NaN })
            {
                var row = Parity.Rows[rows.Count % Parity.Rows.Count].Features.ToArray();
                row[feature] = value;
                rows.Add(row);
            }
        }
        Assert.True(rows.Count > 1000);

        var batch = Predict([.. rows.SelectMany(r => r)]);

        Assert.Equal(rows.Select(r => Model.PredictNumber(r)), batch);
    }

    [Fact]
    public void BaselinePlusContributionsIsThePrediction()
    {
        var contributions = new double[Model.Features.Count];
        foreach (var row in Parity.Rows.Take(200))
        {
            Model.Ensemble.Explain(row.Features, contributions);
            Assert.Equal(Model.PredictNumber(row.Features), Model.Ensemble.Baseline + contributions.Sum(), 9);
        }
    }

    [Fact]
    public void LowerStatusShareIsTheStrongestDriverForTheFirstRowAndRaisesItsPrice()
    {
        var contributions = new double[Model.Features.Count];
        Model.Ensemble.Explain(Parity.Rows[0].Features, contributions);

        var strongest = contributions.Select(Math.Abs).ToList().IndexOf(contributions.Max(Math.Abs));
        Assert.Equal("LSTAT", Model.Features.Names[strongest]);
        // 4.98 % lower-status population is well below the data's median: it lifts the price.
        Assert.True(contributions[strongest] > 0, $"LSTAT contribution {contributions[strongest]}");
    }

    [Fact]
    public void TheModelDescribesItself()
    {
        Assert.Equal("housing", Model.Name);
        Assert.Equal(1, Model.Version);
        Assert.Equal(300, Model.Ensemble.TreeCount);
        Assert.Equal(["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"], Model.Features.Names);
        Assert.True(Model.Features[0].Binary);
        Assert.Equal("MEDV", Model.Settings.Target?.Name);
        Assert.InRange(Model.Settings.Training!.Metrics!["holdout_r2"], 0.7, 1.0);
        Assert.Equal(Model.Sha256, Model.Settings.Sha256);
    }
}
