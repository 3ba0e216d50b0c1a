namespace Appraise.Api.Trees;

/// <summary>A forest compiled for one precision (<see cref="Evaluator{T}"/>).</summary>
internal interface IEvaluator
{
    bool HasFastPath { get; }

    bool CanExplain { get; }

    double Baseline { get; }

    void Explain(ReadOnlySpan<double> row, Span<double> contributions);

    /// <summary>
    /// <paramref name="count"/> rows of features (row-major) -> per row the operator's scores (its
    /// targets or classes), a classifier's label (<see cref="TreeEnsemble.Evaluate"/>) and a
    /// single-target regressor's value in full precision.
    /// </summary>
    void Evaluate(ReadOnlySpan<double> rows, int count, Span<float> scores, Span<long> labels, Span<double> exact);
}
