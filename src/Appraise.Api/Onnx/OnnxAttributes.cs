using System.Buffers.Binary;
using Appraise.Api.Trees;
using Google.Protobuf;
using Onnx;

namespace Appraise.Api.Onnx;

/// <summary>
/// The attributes of one node, read strictly: each name at most once, of the type ONNX gives
/// it, and a double-precision <c>*_as_tensor</c> twin never beside its plain list.
/// </summary>
internal sealed class OnnxAttributes
{
    private readonly Dictionary<string, AttributeProto> _byName = new(StringComparer.Ordinal);
    private readonly string _op;

    public OnnxAttributes(NodeProto node, IReadOnlySet<string> known)
    {
        _op = node.OpType;
        foreach (var attribute in node.Attribute)
        {
            Require(known.Contains(attribute.Name), $"{_op} has attribute '{attribute.Name}', which appraise does not implement");
            Require(_byName.TryAdd(attribute.Name, attribute), $"{_op} has attribute '{attribute.Name}' twice");
            Require(string.IsNullOrEmpty(attribute.RefAttrName), $"{_op}'s attribute '{attribute.Name}' refers to a function attribute");
        }
    }

    public bool Has(string name) => _byName.ContainsKey(name);

    public long[] Ints(string name) => Get(name, AttributeProto.Types.AttributeType.Ints) is { } a ? [.. a.Ints] : [];

    public long? Int(string name) => Get(name, AttributeProto.Types.AttributeType.Int)?.I;

    public string? String(string name) => Get(name, AttributeProto.Types.AttributeType.String)?.S.ToStringUtf8();

    public string[] Strings(string name) => Get(name, AttributeProto.Types.AttributeType.Strings) is { } a ? [.. a.Strings.Select(s => s.ToStringUtf8())] : [];

    /// <summary>
    /// <paramref name="name"/> (FLOATS) or <paramref name="name"/>_as_tensor (a tensor of the
    /// input's element type, as ONNX Runtime requires), never both; empty when neither is given.
    /// </summary>
    public double[] Numbers(string name, bool doubleInput)
    {
        var plain = Get(name, AttributeProto.Types.AttributeType.Floats);
        var tensor = Get(name + "_as_tensor", AttributeProto.Types.AttributeType.Tensor);
        Require(plain is null || tensor is null, $"{_op} has both '{name}' and '{name}_as_tensor'");
        if (tensor is not null)
        {
            return TensorValues(tensor.T, $"{name}_as_tensor", doubleInput);
        }
        return plain is null ? [] : [.. plain.Floats.Select(f => (double)f)];
    }

    private double[] TensorValues(TensorProto tensor, string name, bool doubleInput)
    {
        Require(tensor.DataLocation != TensorProto.Types.DataLocation.External, $"{_op}'s {name} keeps its data in an external file");
        var type = (TensorProto.Types.DataType)tensor.DataType;
        Require(type is TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Float, $"{_op}'s {name} is a tensor of {type}, not of float or double");
        // ONNX Runtime unpacks the tensor as the input's element type and refuses any other.
        Require(type == (doubleInput ? TensorProto.Types.DataType.Double : TensorProto.Types.DataType.Float),
            $"{_op}'s {name} holds {type} values but the model's input is {(doubleInput ? "double" : "float")}");
        long expected = 1;
        foreach (var dim in tensor.Dims)
        {
            Require(dim >= 0 && dim <= int.MaxValue, $"{_op}'s {name} has a dimension of {dim}");
            expected = checked(expected * dim);
            Require(expected <= int.MaxValue, $"{_op}'s {name} claims {expected} or more values");
        }
        var width = type == TensorProto.Types.DataType.Double ? 8 : 4;
        if (!tensor.RawData.IsEmpty)
        {
            Require(tensor.RawData.Length == expected * width, $"{_op}'s {name} has {tensor.RawData.Length} bytes for {expected} values");
            return Decode(tensor.RawData, width, (int)expected);
        }
        double[] values = type == TensorProto.Types.DataType.Double ? [.. tensor.DoubleData] : [.. tensor.FloatData.Select(f => (double)f)];
        Require(values.Length == expected, $"{_op}'s {name} has {values.Length} values for its shape of {expected}");
        return values;
    }

    private static double[] Decode(ByteString raw, int width, int count)
    {
        var bytes = raw.Span;
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = width == 8
                ? BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i * 8, 8))
                : BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
        }
        return values;
    }

    private AttributeProto? Get(string name, AttributeProto.Types.AttributeType type)
    {
        if (!_byName.TryGetValue(name, out var attribute))
        {
            return null;
        }
        Require(attribute.Type == type, $"{_op}'s attribute '{name}' is {attribute.Type}, not {type}");
        return attribute;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidModelException(problem);
        }
    }
}
