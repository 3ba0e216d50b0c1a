using Appraise.Api.Trees;
using Google.Protobuf;
using Onnx;

namespace Appraise.Api.Onnx;

/// <summary>
/// Reads an ONNX file and accepts its graph only when it is a tree ensemble as the usual
/// exporters write it: one float or double input of shape [N, F], one TreeEnsembleRegressor or
/// TreeEnsembleClassifier (ai.onnx.ml opsets 1 to 4) on it, then only ZipMap, Cast and Identity.
/// Anything else is refused with one line naming it; a file is never read past its size limit.
/// </summary>
public static class OnnxModelReader
{
    private const string MlDomain = "ai.onnx.ml";

    public static OnnxTreeModel Read(byte[] file)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(file);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidModelException($"it is not an ONNX model ({e.Message.TrimEnd('.')})", e);
        }
        Require(model.Graph is not null, "it has no graph");
        var mlOpset = MlOpset(model);
        var graph = model.Graph!;
        Require(graph.Initializer.Count == 0 && graph.SparseInitializer.Count == 0, "its graph has initializers, which tree ensembles do not use");
        var (inputName, inputType, featureCount) = Input(graph);
        var ensembleNodes = graph.Node.Where(n => n.OpType is TreeEnsembleNode.Regressor or TreeEnsembleNode.Classifier).ToList();
        Require(ensembleNodes.Count == 1, ensembleNodes.Count == 0
            ? $"its graph has no TreeEnsembleRegressor or TreeEnsembleClassifier (it has {Describe(graph)})"
            : "its graph has more than one tree ensemble");
        var ensembleNode = ensembleNodes[0];
        Require(ensembleNode.Domain == MlDomain, $"{ensembleNode.OpType} is in domain '{ensembleNode.Domain}', not ai.onnx.ml");
        Require(ensembleNode.Input.Count == 1 && ensembleNode.Input[0] == inputName, $"{ensembleNode.OpType} does not read the graph input '{inputName}'");
        var spec = TreeEnsembleNode.Read(ensembleNode, mlOpset, featureCount, inputType == TensorType.Fp64);
        var ensemble = TreeEnsemble.Build(spec);
        var outputs = Outputs(graph, ensembleNode, ensemble);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in model.MetadataProps)
        {
            metadata[entry.Key] = entry.Value;
        }
        return new OnnxTreeModel(inputName, inputType, ensemble, outputs, metadata, $"{model.ProducerName} {model.ProducerVersion}".Trim());
    }

    private static int MlOpset(ModelProto model)
    {
        var ml = 0;
        foreach (var import in model.OpsetImport)
        {
            switch (import.Domain)
            {
                case "" or "ai.onnx":
                    break;
                case MlDomain:
                    ml = (int)Math.Clamp(import.Version, int.MinValue, int.MaxValue);
                    break;
                default:
                    throw new InvalidModelException($"it imports operator set '{import.Domain}', which tree ensembles do not need");
            }
        }
        Require(ml >= 1, "it does not import the ai.onnx.ml operator set");
        Require(ml <= 4, $"it imports ai.onnx.ml opset {ml}: opset 5 deprecates TreeEnsembleRegressor and TreeEnsembleClassifier (ONNX Runtime refuses them there too); export with ai.onnx.ml opset 3");
        return ml;
    }

    private static (string Name, TensorType Type, int Features) Input(GraphProto graph)
    {
        Require(graph.Input.Count == 1, $"its graph has {graph.Input.Count} inputs; a tree ensemble reads one [N, F] tensor");
        var input = graph.Input[0];
        var tensor = input.Type?.TensorType;
        Require(tensor is not null, $"input '{input.Name}' is not a tensor");
        var type = (TensorProto.Types.DataType)tensor!.ElemType switch
        {
            TensorProto.Types.DataType.Float => TensorType.Fp32,
            TensorProto.Types.DataType.Double => TensorType.Fp64,
            var other => throw new InvalidModelException($"input '{input.Name}' is a tensor of {other}; appraise serves float and double inputs"),
        };
        var dims = tensor.Shape?.Dim;
        Require(dims is { Count: 2 }, $"input '{input.Name}' is not of shape [N, F]");
        var features = dims![1].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? dims[1].DimValue : 0;
        Require(features is > 0 and <= 100_000, $"input '{input.Name}' must name its number of features (shape [N, F] with F between 1 and 100000)");
        return (input.Name, type, (int)features);
    }

    /// <summary>Follows the ensemble's outputs through Identity, Cast and ZipMap to the graph's outputs.</summary>
    private static List<ModelOutput> Outputs(GraphProto graph, NodeProto ensembleNode, TreeEnsemble ensemble)
    {
        // What each produced value is: (source, element type, from a ZipMap).
        var values = new Dictionary<string, (ModelOutputSource Source, TensorType Type, bool Map)>(StringComparer.Ordinal);
        if (ensemble.IsClassifier)
        {
            Require(ensembleNode.Output.Count == 2, $"{ensembleNode.OpType} must have two outputs (label, scores)");
            values[ensembleNode.Output[0]] = (ModelOutputSource.Labels, ensemble.Spec.Classes!.AreStrings ? TensorType.Bytes : TensorType.Int64, false);
            values[ensembleNode.Output[1]] = (ModelOutputSource.Scores, TensorType.Fp32, false);
        }
        else
        {
            Require(ensembleNode.Output.Count == 1, $"{ensembleNode.OpType} must have one output");
            values[ensembleNode.Output[0]] = (ModelOutputSource.Scores, TensorType.Fp32, false);
        }
        foreach (var node in graph.Node.Where(n => !ReferenceEquals(n, ensembleNode)))
        {
            var consumes = node.Input.Count == 1 && node.Output.Count == 1 && values.ContainsKey(node.Input[0]);
            Require(consumes,
                $"operator {node.OpType}{(node.Domain.Length > 0 ? $" ({node.Domain})" : "")} is not supported after a tree ensemble: only ZipMap, Cast and Identity, each on one of its results");
            var from = values[node.Input[0]];
            values[node.Output[0]] = node.OpType switch
            {
                "Identity" when node.Domain.Length == 0 => from,
                "Cast" when node.Domain.Length == 0 && !from.Map => (from.Source, CastTo(node, from.Type), false),
                "ZipMap" when node.Domain == MlDomain && from is { Source: ModelOutputSource.Scores, Map: false } && ensemble.IsClassifier
                    => (from.Source, TensorType.Fp32, true),
                _ => throw new InvalidModelException(
                    $"operator {node.OpType}{(node.Domain.Length > 0 ? $" ({node.Domain})" : "")} is not supported after a tree ensemble: only ZipMap (on a classifier's scores), Cast and Identity"),
            };
        }
        Require(graph.Output.Count > 0, "its graph has no outputs");
        var outputs = new List<ModelOutput>();
        foreach (var output in graph.Output)
        {
            Require(values.TryGetValue(output.Name, out var value), $"graph output '{output.Name}' is not computed from the tree ensemble");
            Require(outputs.All(o => o.Name != output.Name), $"graph output '{output.Name}' is listed twice");
            outputs.Add(new ModelOutput(output.Name, value.Source, value.Type, value.Map));
        }
        return outputs;
    }

    private static TensorType CastTo(NodeProto cast, TensorType from)
    {
        var to = cast.Attribute.FirstOrDefault(a => a.Name == "to")?.I ?? -1;
        var type = (TensorProto.Types.DataType)to switch
        {
            TensorProto.Types.DataType.Float => TensorType.Fp32,
            TensorProto.Types.DataType.Double => TensorType.Fp64,
            TensorProto.Types.DataType.Int64 => TensorType.Int64,
            TensorProto.Types.DataType.Int32 => TensorType.Int32,
            TensorProto.Types.DataType.String when from == TensorType.Bytes => TensorType.Bytes,
            _ => throw new InvalidModelException($"Cast to data type {to} is not supported after a tree ensemble (float, double, int64, int32)"),
        };
        Require(from != TensorType.Bytes || type == TensorType.Bytes, "Cast of string labels to a number is not supported");
        return type;
    }

    private static string Describe(GraphProto graph) =>
        graph.Node.Count == 0 ? "no nodes" : string.Join(", ", graph.Node.Select(n => n.OpType).Distinct().Take(5));

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidModelException(problem);
        }
    }
}
