using Appraise.Api.Onnx;

namespace Appraise.Api.OpenInference;

/// <summary>The answer to an inference request: the model and version that gave it, the request's id and the outputs.</summary>
public sealed record InferResult(string ModelName, string ModelVersion, string? Id, IReadOnlyList<OutputTensor> Outputs);

/// <summary>
/// One output tensor. Its values are in exactly one of <see cref="Floats"/> (FP32), <see cref="Doubles"/>
/// (FP64), <see cref="Longs"/> (INT64, INT32) or <see cref="Strings"/> (BYTES).
/// </summary>
public sealed record OutputTensor(string Name, TensorType Type, long[] Shape, bool Binary)
{
    public float[]? Floats { get; init; }

    public double[]? Doubles { get; init; }

    public long[]? Longs { get; init; }

    public string[]? Strings { get; init; }

    public string Datatype => Datatypes.Name(Type);
}
