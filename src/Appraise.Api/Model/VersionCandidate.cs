namespace Appraise.Api.Model;

/// <summary>
/// A version a model source offers: where it is (for log lines) and a fingerprint that changes
/// whenever any of its files does, so a replaced file is noticed and an unchanged one is not read again.
/// </summary>
public sealed record VersionCandidate(string Model, long Version, string Where, string Fingerprint);

/// <summary>A version's bytes: the model file, and the model's and the version's model-settings.json when present.</summary>
public sealed record VersionFiles(byte[] Model, string? ModelSettingsJson, string? VersionSettingsJson);
