using Appraise.Api.Trees;
using Onnx;

namespace Appraise.Api.Onnx;

/// <summary>
/// A TreeEnsembleRegressor or TreeEnsembleClassifier node (ai.onnx.ml opsets 1 to 4) turned into a
/// <see cref="TreeEnsembleSpec"/>: every attribute the operator defines is read and checked; any
/// other attribute, an unknown node mode, post transform or aggregate function is refused by name.
/// </summary>
internal static class TreeEnsembleNode
{
    public const string Regressor = "TreeEnsembleRegressor";
    public const string Classifier = "TreeEnsembleClassifier";

    private static readonly string[] NodeAttributes =
    [
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_values_as_tensor", "nodes_hitrates",
        "nodes_hitrates_as_tensor", "nodes_modes", "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
        "post_transform", "base_values", "base_values_as_tensor",
    ];

    private static readonly HashSet<string> RegressorAttributes =
    [
        .. NodeAttributes, "target_treeids", "target_nodeids", "target_ids", "target_weights", "target_weights_as_tensor",
        "n_targets", "aggregate_function",
    ];

    private static readonly HashSet<string> ClassifierAttributes =
    [
        .. NodeAttributes, "class_treeids", "class_nodeids", "class_ids", "class_weights", "class_weights_as_tensor",
        "classlabels_strings", "classlabels_int64s",
    ];

    private static readonly string[] AsTensor =
        ["nodes_values_as_tensor", "nodes_hitrates_as_tensor", "target_weights_as_tensor", "class_weights_as_tensor", "base_values_as_tensor"];

    public static TreeEnsembleSpec Read(NodeProto node, int mlOpset, int featureCount, bool doubleInput)
    {
        var classifier = node.OpType == Classifier;
        var attributes = new OnnxAttributes(node, classifier ? ClassifierAttributes : RegressorAttributes);
        foreach (var name in AsTensor.Where(attributes.Has))
        {
            Require(mlOpset >= 3, $"{node.OpType} has '{name}', which ai.onnx.ml opset {mlOpset} does not define (it came with opset 3)");
        }
        var prefix = classifier ? "class" : "target";
        var spec = new TreeEnsembleSpec
        {
            FeatureCount = featureCount,
            DoublePrecision = doubleInput,
            NodeTreeIds = attributes.Ints("nodes_treeids"),
            NodeIds = attributes.Ints("nodes_nodeids"),
            NodeFeatureIds = attributes.Ints("nodes_featureids"),
            NodeValues = attributes.Numbers("nodes_values", doubleInput),
            NodeModes = [.. attributes.Strings("nodes_modes").Select(Mode)],
            NodeTrueIds = attributes.Ints("nodes_truenodeids"),
            NodeFalseIds = attributes.Ints("nodes_falsenodeids"),
            NodeMissingTracksTrue = attributes.Ints("nodes_missing_value_tracks_true"),
            NodeHitRates = attributes.Numbers("nodes_hitrates", doubleInput),
            WeightTreeIds = attributes.Ints($"{prefix}_treeids"),
            WeightNodeIds = attributes.Ints($"{prefix}_nodeids"),
            WeightTargetIds = attributes.Ints($"{prefix}_ids"),
            Weights = attributes.Numbers($"{prefix}_weights", doubleInput),
            TargetCount = classifier ? ClassCount(attributes) : TargetCount(attributes),
            BaseValues = attributes.Numbers("base_values", doubleInput),
            Aggregate = classifier ? Aggregate.Sum : Aggregation(attributes.String("aggregate_function")),
            PostTransform = Transform(attributes.String("post_transform")),
            Classes = classifier ? Labels(attributes) : null,
        };
        Require(spec.NodeHitRates.Length == 0 || spec.NodeHitRates.Length == spec.NodeIds.Length, "nodes_hitrates differs in length from the node list");
        Require(spec.BaseValues.All(double.IsFinite), "base_values holds a value that is not a finite number");
        var bases = spec.BaseValues.Length;
        Require(classifier
                ? bases == 0 || bases == spec.TargetCount || (spec.TargetCount <= 2 && bases <= 2)
                : bases == 0 || bases == spec.TargetCount || (spec.TargetCount == 1 && bases == 1),
            $"{bases} base values for {spec.TargetCount} {(classifier ? "classes" : "targets")}");
        return spec;
    }

    private static int TargetCount(OnnxAttributes attributes)
    {
        var targets = attributes.Int("n_targets") ?? 0;
        Require(targets is > 0 and <= 4096, $"n_targets is {targets}: it must be between 1 and 4096");
        return (int)targets;
    }

    private static int ClassCount(OnnxAttributes attributes)
    {
        var ints = attributes.Ints("classlabels_int64s").Length;
        var strings = attributes.Strings("classlabels_strings").Length;
        Require(ints == 0 ^ strings == 0, "exactly one of classlabels_int64s and classlabels_strings must hold the labels");
        Require(Math.Max(ints, strings) <= 4096, "more than 4096 class labels");
        return Math.Max(ints, strings);
    }

    private static ClassLabels Labels(OnnxAttributes attributes)
    {
        var strings = attributes.Strings("classlabels_strings");
        return strings.Length > 0 ? new ClassLabels(null, strings) : new ClassLabels(attributes.Ints("classlabels_int64s"), null);
    }

    private static NodeMode Mode(string mode) => mode switch
    {
        "LEAF" => NodeMode.Leaf,
        "BRANCH_LEQ" => NodeMode.BranchLeq,
        "BRANCH_LT" => NodeMode.BranchLt,
        "BRANCH_GTE" => NodeMode.BranchGte,
        "BRANCH_GT" => NodeMode.BranchGt,
        "BRANCH_EQ" => NodeMode.BranchEq,
        "BRANCH_NEQ" => NodeMode.BranchNeq,
        _ => throw new InvalidModelException($"node mode '{mode}' is not one ONNX defines (BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ, LEAF)"),
    };

    private static PostTransform Transform(string? value) => value switch
    {
        null or "NONE" => PostTransform.None,
        "SOFTMAX" => PostTransform.Softmax,
        "LOGISTIC" => PostTransform.Logistic,
        "SOFTMAX_ZERO" => PostTransform.SoftmaxZero,
        "PROBIT" => PostTransform.Probit,
        _ => throw new InvalidModelException($"post_transform '{value}' is not one ONNX defines (NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT)"),
    };

    private static Aggregate Aggregation(string? value) => value switch
    {
        null or "SUM" => Aggregate.Sum,
        "AVERAGE" => Aggregate.Average,
        "MIN" => Aggregate.Min,
        "MAX" => Aggregate.Max,
        _ => throw new InvalidModelException($"aggregate_function '{value}' is not one ONNX defines (SUM, AVERAGE, MIN, MAX)"),
    };

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidModelException(problem);
        }
    }
}
