using System.Numerics;

namespace Appraise.Api.Trees;

/// <summary>
/// Path attribution (Saabas) for a single-target regressor that sums or averages its trees: every
/// split on the way to a leaf moves the prediction by the difference between the expectations of
/// the child and of the node, and that move is credited to the split's feature. A node's
/// expectation is the mean of the leaves below it, each weighted by its popularity
/// (<c>nodes_hitrates</c>: appraise's converter writes training sample counts, which makes these
/// the training means scikit-learn keeps; without it, leaves weigh alike). The baseline is the sum
/// of the roots' expectations plus the base value, so baseline plus contributions is the prediction.
/// </summary>
internal sealed class Explainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Forest _forest;
    private readonly Walker<T> _walker;
    private readonly double[] _expectation;
    private readonly double _scale;

    private Explainer(Forest forest, Walker<T> walker, double[] expectation, double scale, double baseline)
    {
        _forest = forest;
        _walker = walker;
        _expectation = expectation;
        _scale = scale;
        Baseline = baseline;
    }

    public double Baseline { get; }

    public static Explainer<T>? TryBuild(Forest forest, Walker<T> walker)
    {
        var spec = forest.Spec;
        if (spec.Classes is not null || spec.TargetCount != 1 || spec.Aggregate is not (Aggregate.Sum or Aggregate.Average)
            || spec.PostTransform != PostTransform.None)
        {
            return null;
        }
        var (expectation, _) = Expectations(forest, walker);
        var scale = spec.Aggregate == Aggregate.Average ? 1.0 / forest.Roots.Length : 1.0;
        var baseline = spec.BaseValues.Length == 1 ? double.CreateTruncating(T.CreateTruncating(spec.BaseValues[0])) : 0;
        foreach (var root in forest.Roots)
        {
            baseline += scale * expectation[root];
        }
        return new Explainer<T>(forest, walker, expectation, scale, baseline);
    }

    /// <summary>Each feature's contribution for <paramref name="row"/>, routed exactly as the trees route it.</summary>
    public void Explain(ReadOnlySpan<double> row, Span<double> contributions)
    {
        Span<T> values = stackalloc T[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            values[i] = T.CreateTruncating(row[i]);
        }
        contributions.Clear();
        var features = _forest.Spec.NodeFeatureIds;
        foreach (var root in _forest.Roots)
        {
            var node = root;
            while (!_forest.IsLeaf(node))
            {
                var next = _walker.Next(node, values);
                contributions[(int)features[node]] += _scale * (_expectation[next] - _expectation[node]);
                node = next;
            }
        }
    }

    /// <summary>Every node's expectation and weight, children before parents (no recursion).</summary>
    private static (double[] Expectation, double[] Weight) Expectations(Forest forest, Walker<T> walker)
    {
        var count = forest.NodeCount;
        var expectation = new double[count];
        var weight = new double[count];
        var done = new bool[count];
        var hitRates = forest.Spec.NodeHitRates;
        var stack = new Stack<int>();
        foreach (var root in forest.Roots)
        {
            stack.Push(root);
            while (stack.Count > 0)
            {
                var node = stack.Peek();
                if (done[node])
                {
                    stack.Pop();
                    continue;
                }
                var popularity = hitRates.Length == count && hitRates[node] > 0 ? hitRates[node] : 1;
                if (forest.IsLeaf(node))
                {
                    expectation[node] = double.CreateTruncating(walker.SingleValue(node));
                    weight[node] = popularity;
                    done[node] = true;
                    stack.Pop();
                    continue;
                }
                var (left, right) = (forest.TrueChild[node], forest.FalseChild[node]);
                if (!done[left] || !done[right])
                {
                    if (!done[left])
                    {
                        stack.Push(left);
                    }
                    if (!done[right])
                    {
                        stack.Push(right);
                    }
                    continue;
                }
                var total = weight[left] + weight[right];
                expectation[node] = ((weight[left] * expectation[left]) + (weight[right] * expectation[right])) / total;
                weight[node] = hitRates.Length == count ? popularity : total;
                done[node] = true;
                stack.Pop();
            }
        }
        return (expectation, weight);
    }
}
