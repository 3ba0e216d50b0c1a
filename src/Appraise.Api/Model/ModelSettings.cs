using System.Text.Json.Serialization;

namespace Appraise.Api.Model;

/// <summary>
/// What a model means, from its <c>model-settings.json</c> and the <c>appraise.settings</c> entry of
/// its ONNX metadata (docs/models.md). Everything is optional; a key it does not know is refused
/// (a misspelt "featurs" would otherwise drop every range silently).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ModelSettings(
    string? Description = null,
    TargetSettings? Target = null,
    FeatureSettings[]? Features = null,
    TrainingSettings? Training = null,
    Dictionary<string, double>? Importances = null,
    string? Sha256 = null);

/// <summary>What the model predicts.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TargetSettings(string? Name = null, string? Description = null, string? Unit = null);

/// <summary>One input column: its name, meaning, unit, the values the service accepts and a typical value.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FeatureSettings(
    string Name,
    string? Description = null,
    string? Unit = null,
    double? Minimum = null,
    double? Maximum = null,
    double? Typical = null,
    bool Binary = false);

/// <summary>Where the model comes from and how well it did: metrics are shown on the model card as they are.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrainingSettings(
    string? TrainedAt = null,
    string? Library = null,
    string? Estimator = null,
    Dictionary<string, double>? Metrics = null);
