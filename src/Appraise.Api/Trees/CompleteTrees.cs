using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appraise.Api.Trees;

/// <summary>
/// The forest laid out for many rows at once, when it allows it: every split is a comparison with
/// a threshold (no BRANCH_EQ/NEQ), the trees are summed or averaged, and no tree is deeper than
/// <see cref="MaxDepth"/>. Each tree is padded to a complete binary tree of the forest's depth (a
/// leaf above the bottom becomes a node that sends every row to its first child, down to copies of
/// its votes), and every split is rewritten as "x greater than t: second child, else first" (for
/// x &lt; t and x &gt;= t, t becomes the largest value below it), so walking a tree is exactly
/// <c>depth</c> steps of <c>node = 2·node + 1 + (x &gt; t)</c>: no pointer chasing and no branch on
/// the data. Rows are evaluated in blocks, tree by tree, eight side by side: a tree's few nodes
/// stay in cache while the block passes through, and each row still adds its trees in tree order,
/// so the sums are the ones <see cref="Walker{T}"/> gives. Rows with a missing value are not for
/// this layout (the caller walks them): comparisons alone cannot route NaN.
/// <para>
/// Shallow single-target forests (depth 4 or less: scikit-learn's gradient boosting defaults to 3)
/// go further, with <see cref="Vector{T}"/> lanes as rows: every split of a tree is compared for a
/// whole vector of rows (a column is contiguous in a block), and each node keeps its second
/// child's value where its row exceeds the threshold, its first child's elsewhere, from the leaves
/// up. That is 2^depth - 1 comparisons and selections per vector of rows and no dependent load;
/// a select copies a leaf's value and each lane adds its trees in tree order, so the sums are
/// still the same bits.
/// </para>
/// </summary>
internal sealed class CompleteTrees<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Deeper forests keep the node walk: a complete tree doubles with every level.</summary>
    public const int MaxDepth = 10;

    /// <summary>The deepest forest the vector kernels take; shallower ones are padded to <see cref="VectorDepthMin"/>.</summary>
    private const int VectorDepthMax = 4;
    private const int VectorDepthMin = 3;
    private const int BlockRows = 64;

    private readonly int _features;
    private readonly int _trees;
    private readonly int _depth;
    private readonly int _nodesPerTree;
    private readonly int _leavesPerTree;
    private readonly int _targets;
    private readonly Split[] _split;
    private readonly T[] _leaf;        // [tree][leaf slot][target]
    private readonly bool[] _voted;    // the targets some leaf votes for: every row's, as each tree votes for a fixed set
    private readonly bool _vectorRows;

    private CompleteTrees(int features, int trees, int depth, int targets, Split[] split, T[] leaf, bool[] voted, bool vectorRows)
    {
        _vectorRows = vectorRows;
        _features = features;
        _trees = trees;
        _depth = depth;
        _nodesPerTree = (1 << depth) - 1;
        _leavesPerTree = 1 << depth;
        _targets = targets;
        _split = split;
        _leaf = leaf;
        _voted = voted;
    }

    /// <summary>Whether the vector kernels apply: one target, a shallow forest, and vectors the hardware runs.</summary>
    internal static bool UsesVectorRows(int targets, int depth) =>
        targets == 1 && depth <= VectorDepthMax && Vector.IsHardwareAccelerated && Vector<T>.IsSupported
        && BlockRows % Vector<T>.Count == 0;

    public static CompleteTrees<T>? TryBuild(Forest forest, Walker<T> walker)
    {
        var spec = forest.Spec;
        if (spec.Aggregate is not (Aggregate.Sum or Aggregate.Average) || !SplitsAreComparisons(forest))
        {
            return null;
        }
        var voted = new bool[spec.TargetCount];
        if (spec.TargetCount == 1)
        {
            voted[0] = true;
        }
        else if (!EveryTreeVotesForOneSet(forest, walker, voted))
        {
            return null;
        }
        var depth = Math.Max(1, forest.Depth());
        if (depth > MaxDepth)
        {
            return null;
        }
        var vectorRows = UsesVectorRows(spec.TargetCount, depth);
        if (vectorRows)
        {
            depth = Math.Max(depth, VectorDepthMin);
        }
        var nodes = (1 << depth) - 1;
        var leaves = 1 << depth;
        var split = new Split[forest.Roots.Length * nodes];
        var leaf = new T[forest.Roots.Length * leaves * spec.TargetCount];
        var layout = new Layout(forest, walker, depth, spec.TargetCount);
        for (var t = 0; t < forest.Roots.Length; t++)
        {
            layout.Fill(forest.Roots[t], 0, 0, split.AsSpan(t * nodes, nodes), leaf.AsSpan(t * leaves * spec.TargetCount, leaves * spec.TargetCount));
        }
        return new CompleteTrees<T>(spec.FeatureCount, forest.Roots.Length, depth, spec.TargetCount, split, leaf, voted, vectorRows);
    }

    /// <summary>
    /// Sums every row's trees per target into <paramref name="sums"/> (rows × targets) and marks the
    /// targets voted for. Rows with a missing value get sums too, which the caller replaces.
    /// </summary>
    public void Sum(ReadOnlySpan<double> rows, int count, Span<T> sums, Span<bool> voted)
    {
        var columns = ArrayPool<T>.Shared.Rent(_features * BlockRows);
        try
        {
            for (var start = 0; start < count; start += BlockRows)
            {
                var block = Math.Min(BlockRows, count - start);
                // Column-major: feature c of row r at c·BlockRows + r.
                for (var r = 0; r < block; r++)
                {
                    var row = rows.Slice((start + r) * _features, _features);
                    for (var c = 0; c < _features; c++)
                    {
                        columns[(c * BlockRows) + r] = T.CreateTruncating(row[c]);
                    }
                }
                var blockSums = sums.Slice(start * _targets, block * _targets);
                blockSums.Clear();
                if (_targets == 1)
                {
                    SumOneTarget(columns, blockSums);
                }
                else
                {
                    SumTargets(columns, blockSums, block);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(columns);
        }
        for (var r = 0; r < count; r++)
        {
            _voted.CopyTo(voted.Slice(r * _targets, _targets));
        }
    }

    /// <summary>One target: each tree adds its leaf's value to each row's sum, eight rows side by side.</summary>
    private void SumOneTarget(T[] columns, Span<T> sums)
    {
        ref var column = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var split = ref MemoryMarshal.GetArrayDataReference(_split);
        ref var leaf = ref MemoryMarshal.GetArrayDataReference(_leaf);
        ref var sum = ref MemoryMarshal.GetReference(sums);
        var count = sums.Length;
        for (var t = 0; t < _trees; t++)
        {
            ref var treeSplit = ref Unsafe.Add(ref split, t * _nodesPerTree);
            // Leaf i of the complete tree is node _nodesPerTree + i.
            ref var treeLeaf = ref Unsafe.Add(ref leaf, (t * _leavesPerTree) - _nodesPerTree);
            var r = 0;
            if (_vectorRows)
            {
                r = SumVectors(ref column, ref treeSplit, ref treeLeaf, ref sum, count);
            }
            for (; r + 8 <= count; r += 8)
            {
                int n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
                for (var level = 0; level < _depth; level++)
                {
                    n0 = Step(ref column, ref treeSplit, n0, r);
                    n1 = Step(ref column, ref treeSplit, n1, r + 1);
                    n2 = Step(ref column, ref treeSplit, n2, r + 2);
                    n3 = Step(ref column, ref treeSplit, n3, r + 3);
                    n4 = Step(ref column, ref treeSplit, n4, r + 4);
                    n5 = Step(ref column, ref treeSplit, n5, r + 5);
                    n6 = Step(ref column, ref treeSplit, n6, r + 6);
                    n7 = Step(ref column, ref treeSplit, n7, r + 7);
                }
                Unsafe.Add(ref sum, r) += Unsafe.Add(ref treeLeaf, n0);
                Unsafe.Add(ref sum, r + 1) += Unsafe.Add(ref treeLeaf, n1);
                Unsafe.Add(ref sum, r + 2) += Unsafe.Add(ref treeLeaf, n2);
                Unsafe.Add(ref sum, r + 3) += Unsafe.Add(ref treeLeaf, n3);
                Unsafe.Add(ref sum, r + 4) += Unsafe.Add(ref treeLeaf, n4);
                Unsafe.Add(ref sum, r + 5) += Unsafe.Add(ref treeLeaf, n5);
                Unsafe.Add(ref sum, r + 6) += Unsafe.Add(ref treeLeaf, n6);
                Unsafe.Add(ref sum, r + 7) += Unsafe.Add(ref treeLeaf, n7);
            }
            for (; r < count; r++)
            {
                var node = 0;
                for (var level = 0; level < _depth; level++)
                {
                    node = Step(ref column, ref treeSplit, node, r);
                }
                Unsafe.Add(ref sum, r) += Unsafe.Add(ref treeLeaf, node);
            }
        }
    }

    /// <summary>One tree over as many whole vectors of rows as the block holds; returns the first row left over.</summary>
    private int SumVectors(ref T column, ref Split split, ref T leaf, ref T sum, int count)
    {
        var r = 0;
        for (; r + Vector<T>.Count <= count; r += Vector<T>.Count)
        {
            var value = _depth == 3 ? Subtree3(ref column, ref split, ref leaf, 0, r) : Subtree4(ref column, ref split, ref leaf, 0, r);
            (Vector.LoadUnsafe(ref sum, (nuint)r) + value).StoreUnsafe(ref sum, (nuint)r);
        }
        return r;
    }

    // Subtree<h>: the value each row of the vector reaches from node n, h levels above the leaves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Subtree4(ref T column, ref Split split, ref T leaf, int n, int r) =>
        Vector.ConditionalSelect(Exceeds(ref column, ref split, n, r), Subtree3(ref column, ref split, ref leaf, (2 * n) + 2, r), Subtree3(ref column, ref split, ref leaf, (2 * n) + 1, r));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Subtree3(ref T column, ref Split split, ref T leaf, int n, int r) =>
        Vector.ConditionalSelect(Exceeds(ref column, ref split, n, r), Subtree2(ref column, ref split, ref leaf, (2 * n) + 2, r), Subtree2(ref column, ref split, ref leaf, (2 * n) + 1, r));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Subtree2(ref T column, ref Split split, ref T leaf, int n, int r) =>
        Vector.ConditionalSelect(Exceeds(ref column, ref split, n, r), Subtree1(ref column, ref split, ref leaf, (2 * n) + 2, r), Subtree1(ref column, ref split, ref leaf, (2 * n) + 1, r));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Subtree1(ref T column, ref Split split, ref T leaf, int n, int r) =>
        Vector.ConditionalSelect(Exceeds(ref column, ref split, n, r), new Vector<T>(Unsafe.Add(ref leaf, (2 * n) + 2)), new Vector<T>(Unsafe.Add(ref leaf, (2 * n) + 1)));

    /// <summary>Per row of the vector: all bits set where the row's value exceeds node n's threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Exceeds(ref T column, ref Split split, int n, int r)
    {
        ref var at = ref Unsafe.Add(ref split, n);
        return Vector.GreaterThan(Vector.LoadUnsafe(ref column, (nuint)(at.ColumnOffset + r)), new Vector<T>(at.Threshold));
    }

    /// <summary>Several targets (or classes): each tree adds its leaf's votes to each row's sums.</summary>
    private void SumTargets(T[] columns, Span<T> sums, int rows)
    {
        ref var column = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var split = ref MemoryMarshal.GetArrayDataReference(_split);
        for (var t = 0; t < _trees; t++)
        {
            ref var treeSplit = ref Unsafe.Add(ref split, t * _nodesPerTree);
            var treeLeaf = _leaf.AsSpan(t * _leavesPerTree * _targets, _leavesPerTree * _targets);
            for (var r = 0; r < rows; r++)
            {
                var node = 0;
                for (var level = 0; level < _depth; level++)
                {
                    node = Step(ref column, ref treeSplit, node, r);
                }
                var votes = treeLeaf.Slice((node - _nodesPerTree) * _targets, _targets);
                var rowSums = sums.Slice(r * _targets, _targets);
                for (var k = 0; k < _targets; k++)
                {
                    rowSums[k] += votes[k];
                }
            }
        }
    }

    /// <summary>One level down: the first child, or the second when x exceeds the threshold, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref T column, ref Split split, int node, int row)
    {
        ref var at = ref Unsafe.Add(ref split, node);
        return (2 * node) + 1 + (Unsafe.Add(ref column, at.ColumnOffset + row) > at.Threshold ? 1 : 0);
    }

    /// <summary>A node's test side by side, so one cache line holds both halves of it.</summary>
    private readonly record struct Split(int ColumnOffset, T Threshold);

    private static bool SplitsAreComparisons(Forest forest)
    {
        var spec = forest.Spec;
        for (var n = 0; n < forest.NodeCount; n++)
        {
            var mode = spec.NodeModes[n];
            if (mode is NodeMode.BranchEq or NodeMode.BranchNeq)
            {
                return false;
            }
            // "Below t" needs a value below t: not for an infinite threshold of < or >=.
            if (mode is NodeMode.BranchLt or NodeMode.BranchGte && !double.IsFinite(spec.NodeValues[n]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether within each tree every leaf votes for the same targets (then every row's set is the union).</summary>
    private static bool EveryTreeVotesForOneSet(Forest forest, Walker<T> walker, bool[] voted)
    {
        var treeOf = new int[forest.NodeCount];
        for (var t = 0; t < forest.Roots.Length; t++)
        {
            var end = t + 1 < forest.Roots.Length ? forest.Roots[t + 1] : forest.NodeCount;
            for (var n = forest.Roots[t]; n < end; n++)
            {
                treeOf[n] = t;
            }
        }
        var sets = new ulong[forest.Roots.Length];
        var seen = new bool[forest.Roots.Length];
        if (forest.Spec.TargetCount > 64)
        {
            return false;
        }
        for (var n = 0; n < forest.NodeCount; n++)
        {
            if (!forest.IsLeaf(n))
            {
                continue;
            }
            ulong set = 0;
            foreach (var target in walker.VoteTargets(n))
            {
                // Two votes for one target add one after the other; summed ahead they could round otherwise.
                if ((set & (1UL << target)) != 0)
                {
                    return false;
                }
                set |= 1UL << target;
            }
            var tree = treeOf[n];
            if (seen[tree] && sets[tree] != set)
            {
                return false;
            }
            seen[tree] = true;
            sets[tree] = set;
        }
        foreach (var set in sets)
        {
            for (var k = 0; k < voted.Length; k++)
            {
                voted[k] |= (set & (1UL << k)) != 0;
            }
        }
        return true;
    }

    /// <summary>Writes each tree into its complete layout.</summary>
    private sealed class Layout(Forest forest, Walker<T> walker, int depth, int targets)
    {
        public void Fill(int node, int slot, int level, Span<Split> split, Span<T> leaf)
        {
            var nodes = split.Length;
            if (level == depth)
            {
                var votes = leaf.Slice((slot - nodes) * targets, targets);
                if (targets == 1)
                {
                    votes[0] = walker.SingleValue(node);
                    return;
                }
                var targetIds = walker.VoteTargets(node);
                var weights = walker.VoteWeights(node);
                for (var v = 0; v < targetIds.Length; v++)
                {
                    votes[targetIds[v]] += weights[v];
                }
                return;
            }
            if (forest.IsLeaf(node))
            {
                // A leaf above the bottom: every row goes to the first child (nothing exceeds +infinity) and its copies.
                split[slot] = new Split(0, T.PositiveInfinity);
                Fill(node, (2 * slot) + 1, level + 1, split, leaf);
                Fill(node, (2 * slot) + 2, level + 1, split, leaf);
                return;
            }
            var spec = forest.Spec;
            var threshold = T.CreateTruncating(spec.NodeValues[node]);
            var (first, second, bound) = spec.NodeModes[node] switch
            {
                NodeMode.BranchLeq => (forest.TrueChild[node], forest.FalseChild[node], threshold),
                NodeMode.BranchLt => (forest.TrueChild[node], forest.FalseChild[node], T.BitDecrement(threshold)),
                NodeMode.BranchGt => (forest.FalseChild[node], forest.TrueChild[node], threshold),
                _ => (forest.FalseChild[node], forest.TrueChild[node], T.BitDecrement(threshold)),
            };
            split[slot] = new Split((int)spec.NodeFeatureIds[node] * BlockRows, bound);
            Fill(first, (2 * slot) + 1, level + 1, split, leaf);
            Fill(second, (2 * slot) + 2, level + 1, split, leaf);
        }
    }
}
