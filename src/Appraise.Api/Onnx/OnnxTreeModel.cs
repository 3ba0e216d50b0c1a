using Appraise.Api.Trees;

namespace Appraise.Api.Onnx;

/// <summary>An ONNX file whose graph appraise can serve: its input, its tree ensemble, its outputs and its metadata.</summary>
public sealed record OnnxTreeModel(
    string InputName,
    TensorType InputType,
    TreeEnsemble Ensemble,
    IReadOnlyList<ModelOutput> Outputs,
    IReadOnlyDictionary<string, string> Metadata,
    string Producer);
