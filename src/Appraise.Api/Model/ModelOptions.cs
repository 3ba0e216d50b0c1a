namespace Appraise.Api.Model;

/// <summary>Where the model comes from (configuration section "Model").</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>Path of an appraise-gbr/1 JSON file; empty means the model embedded in the build.</summary>
    public string? Path { get; set; }
}
