namespace Appraise.Api.Trees;

/// <summary>
/// One <c>TreeEnsembleRegressor</c> or <c>TreeEnsembleClassifier</c> as its attributes describe it:
/// parallel arrays of nodes (<c>nodes_*</c>) and of leaf votes (<c>target_*</c> or <c>class_*</c>),
/// with thresholds, weights and base values widened to double (the precision itself is
/// <see cref="DoublePrecision"/>: the graph input's type decides it, as in ONNX Runtime).
/// </summary>
public sealed record TreeEnsembleSpec
{
    public required int FeatureCount { get; init; }

    /// <summary>Double input: compare and sum in double. Float input: in float, thresholds and weights rounded to float.</summary>
    public required bool DoublePrecision { get; init; }

    public required long[] NodeTreeIds { get; init; }

    public required long[] NodeIds { get; init; }

    public required long[] NodeFeatureIds { get; init; }

    public required double[] NodeValues { get; init; }

    public required NodeMode[] NodeModes { get; init; }

    public required long[] NodeTrueIds { get; init; }

    public required long[] NodeFalseIds { get; init; }

    /// <summary>Empty, or one flag per node (missing entries count as false).</summary>
    public required long[] NodeMissingTracksTrue { get; init; }

    /// <summary>Empty, or one popularity per node: appraise's converter writes training sample counts.</summary>
    public required double[] NodeHitRates { get; init; }

    public required long[] WeightTreeIds { get; init; }

    public required long[] WeightNodeIds { get; init; }

    /// <summary>The target (regressor) or class index (classifier) of each vote.</summary>
    public required long[] WeightTargetIds { get; init; }

    public required double[] Weights { get; init; }

    /// <summary>Regressor targets, or classifier classes.</summary>
    public required int TargetCount { get; init; }

    public required double[] BaseValues { get; init; }

    public required Aggregate Aggregate { get; init; }

    public required PostTransform PostTransform { get; init; }

    /// <summary>Null for a regressor; the class labels otherwise (int64 labels as their text).</summary>
    public ClassLabels? Classes { get; init; }
}
