namespace Appraise.Api.OpenInference;

/// <summary>Limits of the Open Inference Protocol's routes (configuration section "Inference").</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>Rows one inference request may carry.</summary>
    public int MaxRows { get; set; } = 10_000;

    /// <summary>The largest inference request body (JSON and binary tensor data together).</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;
}
