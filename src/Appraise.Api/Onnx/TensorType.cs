namespace Appraise.Api.Onnx;

/// <summary>The element types a model's tensors can have here, named as the Open Inference Protocol names them.</summary>
#pragma warning disable CA1720 // the protocol's own names (INT32, INT64) are the clearest here
public enum TensorType
{
    Fp32,
    Fp64,
    Int32,
    Int64,
    Bytes,
}
#pragma warning restore CA1720
