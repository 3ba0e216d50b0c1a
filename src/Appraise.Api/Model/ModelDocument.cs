namespace Appraise.Api.Model;

/// <summary>The appraise-gbr/1 JSON document written by model/train.py (see model/README.md).</summary>
public sealed record ModelDocument(
    string Format,
    string ModelVersion,
    string TrainedAt,
    string? SklearnVersion,
    string? Target,
    string? TargetUnit,
    string[] Features,
    Dictionary<string, double[]>? FeatureRanges,
    ModelMetrics? Metrics,
    Dictionary<string, double>? FeatureImportances,
    double InitValue,
    double LearningRate,
    TreeDocument[] Trees);

/// <summary>Holdout figures recorded at training time.</summary>
public sealed record ModelMetrics(int TrainRows, int HoldoutRows, double HoldoutR2, double HoldoutRmse);

/// <summary>One regression tree as parallel arrays indexed by node; leaves have feature -1.</summary>
public sealed record TreeDocument(int[] Feature, double[] Threshold, int[] Left, int[] Right, double[] Value);
