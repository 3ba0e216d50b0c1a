namespace Appraise.Api.Onnx;

/// <summary>
/// One output of the graph and where it comes from: the ensemble's scores (a regressor's values, a
/// classifier's probabilities) or a classifier's labels, through any Identity or Cast, or a ZipMap
/// (answered as the probabilities tensor it was made from).
/// </summary>
public sealed record ModelOutput(string Name, ModelOutputSource Source, TensorType Type, bool FromZipMap);

/// <summary>Which of the ensemble's results an output carries.</summary>
public enum ModelOutputSource
{
    Scores,
    Labels,
}
