namespace Appraise.Api.Model;

/// <summary>What the model is, how well it did on held-out data, and what each feature means and accepts: all from its description.</summary>
public sealed record ModelCard(
    string ModelVersion,
    string Model,
    string Version,
    string? Description,
    string Kind,
    string? TrainedAt,
    string? Library,
    string? Estimator,
    string? Target,
    string? TargetUnit,
    int Trees,
    string Sha256,
    Dictionary<string, double>? Metrics,
    string[]? Classes,
    ModelFeature[] Features)
{
    public static ModelCard From(ServedModel model) => new(
        model.Label,
        model.Name,
        model.VersionText,
        model.Settings.Description,
        model.Ensemble.IsClassifier ? "classifier" : "regressor",
        model.Settings.Training?.TrainedAt,
        model.Settings.Training?.Library,
        model.Settings.Training?.Estimator,
        model.Settings.Target?.Name,
        model.Settings.Target?.Unit,
        model.Ensemble.TreeCount,
        model.Sha256,
        model.Settings.Training?.Metrics,
        model.Ensemble.Spec.Classes is { } classes ? classes.Strings ?? [.. classes.Int64s!.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))] : null,
        [.. Enumerable.Range(0, model.Features.Count).Select(i => new ModelFeature(
            model.Features[i].Name, model.Features[i].Description, model.Features[i].Unit, model.Features[i].Minimum, model.Features[i].Maximum,
            model.Features.Typical[i], model.Features[i].Binary, model.Settings.Importances?.GetValueOrDefault(model.Features[i].Name)))]);
}

/// <summary>One input: meaning, unit, the range the API accepts (null: any finite number), a typical value and its importance in the model.</summary>
public sealed record ModelFeature(
    string Name, string? Meaning, string? Unit, double? Minimum, double? Maximum, double Typical, bool Binary, double? Importance);
