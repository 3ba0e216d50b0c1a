namespace Appraise.Api.Model;

/// <summary>
/// One model input: its name, what it means and its unit. The range the API accepts is the
/// model file's (<see cref="FeatureRanges"/>), so it is written down once.
/// </summary>
public sealed record FeatureDefinition(string Name, string Meaning, string Unit, double Typical, bool IsBinary = false);
