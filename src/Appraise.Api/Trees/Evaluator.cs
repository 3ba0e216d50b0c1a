using System.Buffers;
using System.Numerics;

namespace Appraise.Api.Trees;

/// <summary>
/// Evaluates rows the way ONNX Runtime's TreeEnsembleRegressor and TreeEnsembleClassifier do
/// (onnxruntime/core/providers/cpu/ml/tree_ensemble_aggregator.h): trees summed (or averaged,
/// or their minimum or maximum taken) in tree order in <typeparamref name="T"/>, then the base
/// values, then the post transform in float; a classifier's label and scores follow ONNX
/// Runtime's binary and multi-class rules to the letter. Rows without a missing value go through
/// <see cref="CompleteTrees{T}"/> when the forest allows it, with the same sums.
/// </summary>
internal sealed class Evaluator<T> : IEvaluator
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TreeEnsembleSpec _spec;
    private readonly Walker<T> _walker;
    private readonly CompleteTrees<T>? _complete;
    private readonly Explainer<T>? _explainer;
    private readonly T[] _base;
    private readonly int _targets;
    private readonly bool _binaryCase;
    private readonly bool _weightsAllPositive;

    public Evaluator(Forest forest)
    {
        _spec = forest.Spec;
        _walker = new Walker<T>(forest);
        _base = [.. _spec.BaseValues.Select(T.CreateTruncating)];
        _targets = _spec.TargetCount;
        _binaryCase = _spec.Classes is not null && _targets == 2 && _spec.WeightTargetIds.Distinct().Count() == 1;
        _weightsAllPositive = _spec.Weights.All(w => T.CreateTruncating(w) >= T.Zero);
        _complete = CompleteTrees<T>.TryBuild(forest, _walker);
        _explainer = Explainer<T>.TryBuild(forest, _walker);
    }

    public bool HasFastPath => _complete is not null;

    public bool CanExplain => _explainer is not null;

    public double Baseline => _explainer?.Baseline ?? double.NaN;

    public void Explain(ReadOnlySpan<double> row, Span<double> contributions) =>
        (_explainer ?? throw new InvalidOperationException("This model has no explanations.")).Explain(row, contributions);

    public void Evaluate(ReadOnlySpan<double> rows, int count, Span<float> scores, Span<long> labels, Span<double> exact)
    {
        var features = _spec.FeatureCount;
        var sums = ArrayPool<T>.Shared.Rent(count * _targets);
        var has = ArrayPool<bool>.Shared.Rent(count * _targets);
        var row = ArrayPool<T>.Shared.Rent(features);
        try
        {
            if (_complete is not null)
            {
                _complete.Sum(rows, count, sums, has);
            }
            for (var r = 0; r < count; r++)
            {
                var source = rows.Slice(r * features, features);
                if (_complete is not null && !HasNaN(source))
                {
                    continue;
                }
                for (var f = 0; f < features; f++)
                {
                    row[f] = T.CreateTruncating(source[f]);
                }
                Aggregate(row.AsSpan(0, features), sums.AsSpan(r * _targets, _targets), has.AsSpan(r * _targets, _targets));
            }
            for (var r = 0; r < count; r++)
            {
                var sum = sums.AsSpan(r * _targets, _targets);
                var flags = has.AsSpan(r * _targets, _targets);
                var z = scores.Slice(r * _targets, _targets);
                if (_spec.Classes is null)
                {
                    exact[r] = FinishRegression(sum, flags, z);
                }
                else
                {
                    labels[r] = FinishClassification(sum, flags, z);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(sums);
            ArrayPool<bool>.Shared.Return(has);
            ArrayPool<T>.Shared.Return(row);
        }
    }

    private static bool HasNaN(ReadOnlySpan<double> row)
    {
        foreach (var x in row)
        {
            if (double.IsNaN(x))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>One row through every tree: each target's running aggregate and whether any leaf voted for it.</summary>
    private void Aggregate(ReadOnlySpan<T> row, Span<T> sum, Span<bool> has)
    {
        sum.Clear();
        has.Clear();
        var aggregate = _spec.Aggregate;
        foreach (var root in _walker.Roots)
        {
            var leaf = _walker.Leaf(root, row);
            if (_targets == 1)
            {
                // One target: a leaf's single value (0 without a vote) meets every tree, as in ONNX Runtime.
                Combine(aggregate, ref sum[0], ref has[0], _walker.SingleValue(leaf));
                continue;
            }
            var targets = _walker.VoteTargets(leaf);
            var weights = _walker.VoteWeights(leaf);
            for (var v = 0; v < targets.Length; v++)
            {
                Combine(aggregate, ref sum[targets[v]], ref has[targets[v]], weights[v]);
            }
        }
    }

    private static void Combine(Aggregate aggregate, ref T current, ref bool has, T value)
    {
        current = aggregate switch
        {
            Trees.Aggregate.Min => !has || value < current ? value : current,
            Trees.Aggregate.Max => !has || value > current ? value : current,
            _ => current + value,
        };
        has = true;
    }

    /// <summary>
    /// A regressor's row: base values, then the transform (one target: only PROBIT, as ONNX Runtime
    /// does). Returns the full-precision value of a single target (what scikit-learn would print).
    /// </summary>
    private double FinishRegression(Span<T> sum, Span<bool> has, Span<float> z)
    {
        var trees = T.CreateTruncating(_walker.Roots.Length);
        if (_targets == 1)
        {
            var origin = _base.Length == 1 ? _base[0] : T.Zero;
            var value = _spec.Aggregate switch
            {
                Trees.Aggregate.Sum => sum[0] + origin,
                Trees.Aggregate.Average => (sum[0] / trees) + origin,
                _ => has[0] ? sum[0] + origin : origin,
            };
            if (_spec.PostTransform == PostTransform.Probit)
            {
                z[0] = ScoreTransforms.Probit(float.CreateTruncating(value));
                return z[0];
            }
            z[0] = float.CreateTruncating(value);
            return double.CreateTruncating(value);
        }
        var useBase = _base.Length == _targets;
        for (var k = 0; k < _targets; k++)
        {
            var value = _spec.Aggregate switch
            {
                Trees.Aggregate.Sum => useBase ? sum[k] + _base[k] : sum[k],
                Trees.Aggregate.Average => useBase ? (sum[k] / trees) + _base[k] : sum[k] / trees,
                _ => (useBase ? _base[k] : T.Zero) + (has[k] ? sum[k] : T.Zero),
            };
            // A target no leaf voted for reads as 0 whatever its base (ONNX Runtime's ScoreValue).
            z[k] = has[k] ? float.CreateTruncating(value) : 0f;
        }
        ScoreTransforms.Apply(_spec.PostTransform, z);
        return double.NaN;
    }

    /// <summary>A classifier's row: its label (the int64 label, or the index of a string label) and its scores.</summary>
    private long FinishClassification(Span<T> sum, Span<bool> has, Span<float> z)
    {
        z.Clear();
        if (_targets > 2)
        {
            for (var k = 0; k < _base.Length && k < _targets; k++)
            {
                sum[k] = has[k] ? sum[k] + _base[k] : _base[k];
                has[k] = true;
            }
            var best = -1;
            for (var k = 0; k < _targets; k++)
            {
                if (has[k] && (best == -1 || sum[k] > sum[best]))
                {
                    best = k;
                }
            }
            if (best == -1)
            {
                throw new InvalidOperationException("No class received a score.");
            }
            for (var k = 0; k < _targets; k++)
            {
                z[k] = has[k] ? float.CreateTruncating(sum[k]) : 0f;
            }
            ScoreTransforms.Apply(_spec.PostTransform, z);
            return Label(best);
        }
        return FinishBinary(sum, has, z);
    }

    /// <summary>Two classes: ONNX Runtime's TreeAggregatorClassifier::FinalizeScores and _set_score_binary.</summary>
    private long FinishBinary(Span<T> sum, Span<bool> has, Span<float> z)
    {
        var additional = -1;
        var kept = 2;
        if (_base.Length == 2)
        {
            if (has[1])
            {
                // As ONNX Runtime writes it: class 1 from class 0's sum, class 0 the opposite
                // (which still reads as 0 when class 0 had no vote).
                sum[1] = _base[1] + sum[0];
                sum[0] = -sum[1];
            }
            else
            {
                sum[1] += _base[1];
                sum[0] += _base[0];
            }
        }
        else if (_base.Length == 1)
        {
            sum[0] += _base[0];
            kept = has[1] ? 2 : 1;
        }
        else
        {
            additional = 3;
            kept = has[1] ? 2 : 1;
        }

        var positive = kept == 2 && has[1] ? sum[1] : (has[0] ? sum[0] : T.Zero);
        long label;
        if (_binaryCase)
        {
            var isPositive = _weightsAllPositive ? positive > T.CreateTruncating(0.5) : positive > T.Zero;
            additional = _weightsAllPositive ? (isPositive ? 0 : 1) : (isPositive ? 2 : 3);
            label = Label(isPositive ? 1 : 0);
        }
        else
        {
            // Both classes voted: ONNX Runtime answers the literal labels 1 and 0 (for string labels, indices).
            label = positive > T.Zero ? 1 : 0;
        }

        if (kept == 2)
        {
            z[0] = float.CreateTruncating(Value(sum[0], has[0]));
            z[1] = float.CreateTruncating(Value(sum[1], has[1]));
            ScoreTransforms.Apply(_spec.PostTransform, z);
            return label;
        }
        var score = Value(sum[0], has[0]);
        if (_spec.PostTransform == PostTransform.Probit)
        {
            z[0] = ScoreTransforms.Probit(float.CreateTruncating(score));
        }
        else if (additional is >= 0 and <= 3)
        {
            if (_spec.PostTransform == PostTransform.Logistic)
            {
                z[0] = ScoreTransforms.Logistic(float.CreateTruncating(-score));
                z[1] = ScoreTransforms.Logistic(float.CreateTruncating(score));
            }
            else
            {
                z[0] = float.CreateTruncating(additional <= 1 ? T.One - score : -score);
                z[1] = float.CreateTruncating(score);
            }
        }
        else
        {
            z[0] = float.CreateTruncating(score);
        }
        return label;
    }

    private static T Value(T score, bool has) => has ? score : T.Zero;

    /// <summary>Class index -> the label ONNX Runtime answers: the int64 label, or the index of a string label.</summary>
    private long Label(int index) => _spec.Classes!.Int64s is { } labels ? labels[index] : index;
}
