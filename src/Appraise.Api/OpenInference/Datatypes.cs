using Appraise.Api.Onnx;

namespace Appraise.Api.OpenInference;

/// <summary>The protocol's datatype names: which are numbers appraise reads, and each one's size in binary tensor data.</summary>
public static class Datatypes
{
    public static string Name(TensorType type) => type switch
    {
        TensorType.Fp32 => "FP32",
        TensorType.Fp64 => "FP64",
        TensorType.Int32 => "INT32",
        TensorType.Int64 => "INT64",
        _ => "BYTES",
    };

    /// <summary>Bytes per element of a numeric datatype, or 0 for one appraise does not read as a feature.</summary>
    public static int Size(string datatype) => datatype switch
    {
        "BOOL" or "INT8" or "UINT8" => 1,
        "INT16" or "UINT16" => 2,
        "INT32" or "UINT32" or "FP32" => 4,
        "INT64" or "UINT64" or "FP64" => 8,
        _ => 0,
    };

    /// <summary>The datatypes a feature tensor may have, for error messages.</summary>
    public const string Numeric = "FP32, FP64, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 or BOOL";
}
