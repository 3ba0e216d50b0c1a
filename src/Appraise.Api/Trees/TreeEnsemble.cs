namespace Appraise.Api.Trees;

/// <summary>
/// A TreeEnsembleRegressor or TreeEnsembleClassifier ready to evaluate: built once from its
/// attributes (every inconsistency refused), then evaluated with ONNX Runtime's semantics in the
/// precision the graph input gives (float or double).
/// </summary>
public sealed class TreeEnsemble
{
    private readonly IEvaluator _evaluator;

    private TreeEnsemble(TreeEnsembleSpec spec, Forest forest, IEvaluator evaluator)
    {
        Spec = spec;
        Forest = forest;
        _evaluator = evaluator;
    }

    public TreeEnsembleSpec Spec { get; }

    internal Forest Forest { get; }

    public int FeatureCount => Spec.FeatureCount;

    /// <summary>The scores per row: a regressor's targets, a classifier's classes.</summary>
    public int ScoreCount => Spec.TargetCount;

    public bool IsClassifier => Spec.Classes is not null;

    public int TreeCount => Forest.Roots.Length;

    public int NodeCount => Forest.NodeCount;

    /// <summary>Whether rows without missing values take the complete-tree layout (else the node walk).</summary>
    public bool HasFastPath => _evaluator.HasFastPath;

    /// <summary>Whether <see cref="Explain"/> works: single-target regressors that sum or average, with no transform.</summary>
    public bool CanExplain => _evaluator.CanExplain;

    /// <summary>The prediction before any feature is looked at: the attribution's starting point.</summary>
    public double Baseline => _evaluator.Baseline;

    /// <summary>Path attribution of one row (<see cref="Explainer{T}"/>): baseline plus contributions is the prediction.</summary>
    public void Explain(ReadOnlySpan<double> row, Span<double> contributions)
    {
        if (row.Length != FeatureCount || contributions.Length != FeatureCount)
        {
            throw new ArgumentException($"A row and its contributions have {FeatureCount} values each.", nameof(row));
        }
        _evaluator.Explain(row, contributions);
    }

    public static TreeEnsemble Build(TreeEnsembleSpec spec)
    {
        var forest = Forest.Build(spec);
        IEvaluator evaluator = spec.DoublePrecision ? new Evaluator<double>(forest) : new Evaluator<float>(forest);
        return new TreeEnsemble(spec, forest, evaluator);
    }

    /// <summary>
    /// Evaluates <paramref name="rows"/> (row-major, <see cref="FeatureCount"/> values each) into:
    /// <paramref name="scores"/>, <see cref="ScoreCount"/> floats per row (the operator's Y of a
    /// regressor, Z of a classifier); <paramref name="labels"/>, a classifier's label per row (the
    /// int64 label, or the index into the string labels); <paramref name="exact"/>, a single-target
    /// regressor's value before the operator's cast to float (NaN otherwise).
    /// </summary>
    public void Evaluate(ReadOnlySpan<double> rows, Span<float> scores, Span<long> labels, Span<double> exact)
    {
        var count = rows.Length / FeatureCount;
        if (rows.Length != count * FeatureCount || scores.Length < count * ScoreCount
            || (IsClassifier && labels.Length < count) || (!IsClassifier && exact.Length < count))
        {
            throw new ArgumentException("Rows and outputs differ in size.", nameof(rows));
        }
        _evaluator.Evaluate(rows, count, scores, labels, exact);
    }
}
