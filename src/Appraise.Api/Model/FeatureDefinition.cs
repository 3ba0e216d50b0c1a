namespace Appraise.Api.Model;

/// <summary>One model input: its name, accepted range and meaning.</summary>
public sealed record FeatureDefinition(string Name, double Minimum, double Maximum, string Description, bool IsBinary = false);
