using System.Numerics;

namespace Appraise.Api.Trees;

/// <summary>
/// A forest compiled for one precision: thresholds and weights in <typeparamref name="T"/> (float
/// for a float input, double for a double input, as ONNX Runtime decides), walked node by node.
/// Exact for every node mode and for missing values: NaN takes the false branch unless the node
/// tracks missing values to the true one (BRANCH_NEQ's comparison is true for NaN anyway).
/// </summary>
internal sealed class Walker<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _feature;
    private readonly T[] _threshold;
    private readonly NodeMode[] _mode;
    private readonly bool[] _missingTrue;
    private readonly int[] _true;
    private readonly int[] _false;
    private readonly int[] _voteStart;
    private readonly int[] _voteTarget;
    private readonly T[] _voteWeight;

    public Walker(Forest forest)
    {
        var spec = forest.Spec;
        var count = forest.NodeCount;
        Roots = forest.Roots;
        _feature = [.. spec.NodeFeatureIds.Select(f => (int)Math.Max(0, f))];
        _threshold = [.. spec.NodeValues.Select(T.CreateTruncating)];
        _mode = spec.NodeModes;
        _missingTrue = [.. Enumerable.Range(0, count).Select(forest.MissingGoesTrue)];
        _true = forest.TrueChild;
        _false = forest.FalseChild;
        _voteStart = forest.VoteStart;
        _voteTarget = forest.VoteTarget;
        _voteWeight = [.. forest.VoteWeight.Select(T.CreateTruncating)];
    }

    public int[] Roots { get; }

    /// <summary>The leaf <paramref name="root"/>'s tree sends <paramref name="row"/> to.</summary>
    public int Leaf(int root, ReadOnlySpan<T> row)
    {
        var node = root;
        while (_mode[node] != NodeMode.Leaf)
        {
            node = Next(node, row);
        }
        return node;
    }

    /// <summary>The child a branch node sends <paramref name="row"/> to.</summary>
    public int Next(int node, ReadOnlySpan<T> row)
    {
        var x = row[_feature[node]];
        var t = _threshold[node];
        var goesTrue = _mode[node] switch
        {
            NodeMode.BranchLeq => x <= t,
            NodeMode.BranchLt => x < t,
            NodeMode.BranchGte => x >= t,
            NodeMode.BranchGt => x > t,
            NodeMode.BranchEq => x == t,
            _ => x != t,
        } || (_missingTrue[node] && T.IsNaN(x));
        return goesTrue ? _true[node] : _false[node];
    }

    public ReadOnlySpan<int> VoteTargets(int leaf) => _voteTarget.AsSpan(_voteStart[leaf], _voteStart[leaf + 1] - _voteStart[leaf]);

    public ReadOnlySpan<T> VoteWeights(int leaf) => _voteWeight.AsSpan(_voteStart[leaf], _voteStart[leaf + 1] - _voteStart[leaf]);

    /// <summary>A leaf's one value when there is one target: its first vote, or 0 without one (ONNX Runtime's rule).</summary>
    public T SingleValue(int leaf) => _voteStart[leaf + 1] > _voteStart[leaf] ? _voteWeight[_voteStart[leaf]] : T.Zero;
}
