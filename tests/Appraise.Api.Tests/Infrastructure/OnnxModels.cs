using Appraise.Api.Model;
using Google.Protobuf;
using Onnx;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// ONNX tree-ensemble files built in the test, with the official onnx.proto classes the service
/// generates: one tree per <see cref="TestTree"/>, every attribute as the exporters write it, and
/// ways to break them (the refusal tests).
/// </summary>
public static class OnnxModels
{
    /// <summary>The embedded house-price model (model/housing/1) as the service loads it.</summary>
    public static ServedModel Housing { get; } = LoadEmbedded();

    private static ServedModel LoadEmbedded()
    {
        var source = new EmbeddedSource();
        var candidate = source.ListAsync(CancellationToken.None).GetAwaiter().GetResult()[0];
        return ModelBuilder.Build(candidate, source.ReadAsync(candidate, long.MaxValue, CancellationToken.None).GetAwaiter().GetResult(), DateTimeOffset.UnixEpoch);
    }

    public static byte[] EmbeddedBytes() => new EmbeddedSource().ReadAsync(null!, long.MaxValue, CancellationToken.None).GetAwaiter().GetResult().Model;

    /// <summary>A model from the given trees: a regressor (labels null) or a classifier.</summary>
    internal static ModelProto Build(EnsembleDescription ensemble)
    {
        var classifier = ensemble.Int64Labels is not null || ensemble.StringLabels is not null;
        var op = classifier ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor";
        var node = new NodeProto { OpType = op, Domain = "ai.onnx.ml", Name = op };
        node.Input.Add("X");
        node.Output.Add(classifier ? "label" : "variable");
        if (classifier)
        {
            node.Output.Add("probabilities");
        }
        var nodes = ensemble.Trees.SelectMany((tree, t) => tree.Nodes.Select(n => (Tree: t, Node: n))).ToList();
        node.Attribute.Add(Ints("nodes_treeids", nodes.Select(n => (long)n.Tree)));
        node.Attribute.Add(Ints("nodes_nodeids", nodes.Select(n => (long)n.Node.Id)));
        node.Attribute.Add(Ints("nodes_featureids", nodes.Select(n => (long)n.Node.Feature)));
        node.Attribute.Add(Strings("nodes_modes", nodes.Select(n => n.Node.Mode)));
        node.Attribute.Add(Ints("nodes_truenodeids", nodes.Select(n => (long)n.Node.True)));
        node.Attribute.Add(Ints("nodes_falsenodeids", nodes.Select(n => (long)n.Node.False)));
        if (nodes.Any(n => n.Node.MissingTrue))
        {
            node.Attribute.Add(Ints("nodes_missing_value_tracks_true", nodes.Select(n => n.Node.MissingTrue ? 1L : 0L)));
        }
        node.Attribute.Add(Numbers("nodes_values", nodes.Select(n => n.Node.Threshold), ensemble.DoublePrecision));
        var votes = nodes.SelectMany(n => n.Node.Votes.Select(v => (n.Tree, n.Node.Id, v.Target, v.Weight))).ToList();
        var prefix = classifier ? "class" : "target";
        node.Attribute.Add(Ints($"{prefix}_treeids", votes.Select(v => (long)v.Tree)));
        node.Attribute.Add(Ints($"{prefix}_nodeids", votes.Select(v => (long)v.Id)));
        node.Attribute.Add(Ints($"{prefix}_ids", votes.Select(v => (long)v.Target)));
        node.Attribute.Add(Numbers($"{prefix}_weights", votes.Select(v => v.Weight), ensemble.DoublePrecision));
        if (ensemble.BaseValues is { } bases)
        {
            node.Attribute.Add(Numbers("base_values", bases, ensemble.DoublePrecision));
        }
        if (ensemble.PostTransform is { } transform)
        {
            node.Attribute.Add(Text("post_transform", transform));
        }
        if (classifier)
        {
            node.Attribute.Add(ensemble.Int64Labels is { } ints ? Ints("classlabels_int64s", ints) : Strings("classlabels_strings", ensemble.StringLabels!));
        }
        else
        {
            node.Attribute.Add(new AttributeProto { Name = "n_targets", Type = AttributeProto.Types.AttributeType.Int, I = ensemble.Targets });
            if (ensemble.Aggregate is { } aggregate)
            {
                node.Attribute.Add(Text("aggregate_function", aggregate));
            }
        }
        var graph = new GraphProto { Name = "trees" };
        graph.Node.Add(node);
        graph.Input.Add(Tensor("X", ensemble.DoublePrecision ? TensorProto.Types.DataType.Double : TensorProto.Types.DataType.Float, ensemble.Features));
        if (classifier)
        {
            graph.Output.Add(Tensor("label", ensemble.StringLabels is null ? TensorProto.Types.DataType.Int64 : TensorProto.Types.DataType.String, null));
            graph.Output.Add(Tensor("probabilities", TensorProto.Types.DataType.Float, ensemble.Labels));
        }
        else
        {
            graph.Output.Add(Tensor("variable", TensorProto.Types.DataType.Float, ensemble.Targets));
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "appraise-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = ensemble.DoublePrecision ? 3 : 1 });
        return model;
    }

    internal static byte[] Bytes(ModelProto model) => model.ToByteArray();

    internal static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    internal static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    internal static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>FLOATS (opset 1), or the double tensor of opset 3's <c>*_as_tensor</c>.</summary>
    internal static AttributeProto Numbers(string name, IEnumerable<double> values, bool asDoubleTensor)
    {
        var list = values.ToList();
        if (!asDoubleTensor)
        {
            var floats = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
            floats.Floats.AddRange(list.Select(v => (float)v));
            return floats;
        }
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Double };
        tensor.Dims.Add(list.Count);
        tensor.DoubleData.AddRange(list);
        return new AttributeProto { Name = name + "_as_tensor", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
    }

    private static ValueInfoProto Tensor(string name, TensorProto.Types.DataType type, int? columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        if (columns is { } count)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = count });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}

/// <summary>One node of a test tree; leaves carry votes (target or class id, weight).</summary>
public sealed record TestNode(int Id, string Mode, int Feature = 0, double Threshold = 0, int True = 0, int False = 0, bool MissingTrue = false)
{
    public (int Target, double Weight)[] Votes { get; init; } = [];

    public static TestNode Leaf(int id, params (int Target, double Weight)[] votes) => new(id, "LEAF") { Votes = votes };
}

public sealed record TestTree(params TestNode[] Nodes);

/// <summary>What a test model computes: its trees, targets or labels, base values, aggregate and transform, and its precision.</summary>
public sealed record EnsembleDescription(int Features, TestTree[] Trees)
{
    public bool DoublePrecision { get; init; }

    public int Targets { get; init; } = 1;

    public long[]? Int64Labels { get; init; }

    public string[]? StringLabels { get; init; }

    public double[]? BaseValues { get; init; }

    public string? Aggregate { get; init; }

    public string? PostTransform { get; init; }

    public int Labels => Int64Labels?.Length ?? StringLabels?.Length ?? 0;
}
