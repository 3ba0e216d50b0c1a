namespace Appraise.Api.Model;

/// <summary>What the model is, how well it did on held-out data, and what each feature means and accepts.</summary>
public sealed record ModelCard(
    string ModelVersion,
    string TrainedAt,
    string? Target,
    string? TargetUnit,
    int Trees,
    ModelMetrics? Metrics,
    ModelFeature[] Features)
{
    public static ModelCard From(HousingModel model) => new(
        model.Version,
        model.Document.TrainedAt,
        model.Document.Target,
        model.Document.TargetUnit,
        model.TreeCount,
        model.Document.Metrics,
        [.. HousingFeatures.All.Select((f, i) => new ModelFeature(
            f.Name, f.Meaning, f.Unit, model.Ranges.Minimum(i), model.Ranges.Maximum(i), f.Typical, f.IsBinary,
            model.Document.FeatureImportances?.GetValueOrDefault(f.Name)))]);
}

/// <summary>One input: meaning, unit, the range the API accepts, a typical value and its importance in the model.</summary>
public sealed record ModelFeature(
    string Name, string Meaning, string Unit, double Minimum, double Maximum, double Typical, bool Binary, double? Importance);
