using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appraise.Api.Model;

/// <summary>
/// The forest laid out for evaluating many rows at once. Every tree is padded to a complete
/// binary tree of the forest's depth (a leaf above the bottom becomes a node that sends every row
/// left, down to copies of its value), so walking a tree is exactly <c>depth</c> steps of
/// <c>node = 2·node + 1 + (x &gt; threshold)</c>: no pointer chasing and no branch on the data.
/// Thresholds are stored as the largest float32 not above scikit-learn's float64 threshold, so a
/// float32 comparison decides exactly as scikit-learn's <c>float32(x) ≤ threshold</c> does, and
/// leaf values are pre-multiplied by the learning rate (the same product, so the same sums).
/// Rows are evaluated in blocks, tree by tree: a tree's few nodes stay in cache while every row
/// of the block passes through it, and each row still adds its trees' values in tree order, so
/// predictions are bit-identical to the one-row walk.
/// </summary>
internal sealed class CompleteTrees
{
    /// <summary>Deeper forests keep the pointer walk: a complete tree doubles with every level.</summary>
    public const int MaxDepth = 10;
    private const int BlockRows = 64;

    private readonly int _trees;
    private readonly int _depth;
    private readonly int _nodesPerTree;   // internal nodes: 2^depth - 1
    private readonly int _leavesPerTree;  // 2^depth
    private readonly Split[] _split;       // per internal node: its column's offset in a block and its threshold
    private readonly double[] _scaledLeaf;

    private CompleteTrees(int trees, int depth, int[] feature, float[] threshold, double[] scaledLeaf)
    {
        _trees = trees;
        _depth = depth;
        _nodesPerTree = (1 << depth) - 1;
        _leavesPerTree = 1 << depth;
        _split = [.. feature.Zip(threshold, (f, x) => new Split(f * BlockRows, x))];
        _scaledLeaf = scaledLeaf;
    }

    /// <summary>The complete layout of the trees in <paramref name="document"/>, or null when they are deeper than <see cref="MaxDepth"/>.</summary>
    public static CompleteTrees? TryBuild(ModelDocument document)
    {
        var depth = Math.Max(1, document.Trees.Max(t => Depth(t, 0)));
        if (depth > MaxDepth)
        {
            return null;
        }
        var nodes = (1 << depth) - 1;
        var leaves = 1 << depth;
        var feature = new int[document.Trees.Length * nodes];
        var threshold = new float[document.Trees.Length * nodes];
        var scaledLeaf = new double[document.Trees.Length * leaves];
        for (var t = 0; t < document.Trees.Length; t++)
        {
            Fill(document.Trees[t], document.LearningRate, 0, 0, 0, depth,
                feature.AsSpan(t * nodes, nodes), threshold.AsSpan(t * nodes, nodes), scaledLeaf.AsSpan(t * leaves, leaves));
        }
        return new CompleteTrees(document.Trees.Length, depth, feature, threshold, scaledLeaf);
    }

    /// <summary>Predicts consecutive rows (row-major, <see cref="HousingFeatures.Count"/> values each) into <paramref name="predictions"/>.</summary>
    public void Predict(ReadOnlySpan<double> rows, Span<double> predictions, double initValue)
    {
        var columns = ArrayPool<float>.Shared.Rent(HousingFeatures.Count * BlockRows);
        try
        {
            for (var start = 0; start < predictions.Length; start += BlockRows)
            {
                var count = Math.Min(BlockRows, predictions.Length - start);
                // Column-major float32, as scikit-learn compares: column c of row r at c·BlockRows + r.
                for (var r = 0; r < count; r++)
                {
                    var row = rows.Slice((start + r) * HousingFeatures.Count, HousingFeatures.Count);
                    for (var c = 0; c < HousingFeatures.Count; c++)
                    {
                        columns[(c * BlockRows) + r] = (float)row[c];
                    }
                }
                var sums = predictions.Slice(start, count);
                sums.Fill(initValue);
                EvaluateBlock(columns, sums);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(columns);
        }
    }

    /// <summary>
    /// Adds every tree's leaf value to each row's sum, tree by tree. Eight rows walk a tree side by
    /// side: their steps do not depend on each other, so the processor overlaps them instead of
    /// waiting for each load and comparison in turn. References instead of indexed spans: the
    /// indices are in range by construction (nodes stay inside their tree, columns inside the block).
    /// </summary>
    private void EvaluateBlock(float[] columns, Span<double> sums)
    {
        ref var column = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var split = ref MemoryMarshal.GetArrayDataReference(_split);
        ref var leaf = ref MemoryMarshal.GetArrayDataReference(_scaledLeaf);
        ref var sum = ref MemoryMarshal.GetReference(sums);
        var count = sums.Length;
        for (var t = 0; t < _trees; t++)
        {
            ref var treeSplit = ref Unsafe.Add(ref split, t * _nodesPerTree);
            // Leaf i of the complete tree is node _nodesPerTree + i.
            ref var treeLeaf = ref Unsafe.Add(ref leaf, (t * _leavesPerTree) - _nodesPerTree);
            var r = 0;
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

    /// <summary>One level down: the left child when x ≤ threshold, the right one otherwise, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref float column, ref Split split, int node, int row)
    {
        ref var at = ref Unsafe.Add(ref split, node);
        return (2 * node) + 1 + (Unsafe.Add(ref column, at.ColumnOffset + row) > at.Threshold ? 1 : 0);
    }

    /// <summary>A node's test side by side, so one cache line holds both halves of it.</summary>
    private readonly record struct Split(int ColumnOffset, float Threshold);

    private static int Depth(TreeDocument tree, int node) =>
        tree.Feature[node] < 0 ? 0 : 1 + Math.Max(Depth(tree, tree.Left[node]), Depth(tree, tree.Right[node]));

    /// <summary>Writes the subtree at <paramref name="node"/> into complete position <paramref name="slot"/> at <paramref name="level"/>.</summary>
    private static void Fill(TreeDocument tree, double learningRate, int node, int slot, int level, int depth,
        Span<int> feature, Span<float> threshold, Span<double> scaledLeaf)
    {
        if (level == depth)
        {
            scaledLeaf[slot - feature.Length] = learningRate * tree.Value[node];
            return;
        }
        if (tree.Feature[node] < 0)
        {
            // A leaf above the bottom: every row goes left (nothing exceeds +infinity) to its value.
            feature[slot] = 0;
            threshold[slot] = float.PositiveInfinity;
            Fill(tree, learningRate, node, (2 * slot) + 1, level + 1, depth, feature, threshold, scaledLeaf);
            Fill(tree, learningRate, node, (2 * slot) + 2, level + 1, depth, feature, threshold, scaledLeaf);
            return;
        }
        feature[slot] = tree.Feature[node];
        threshold[slot] = FloatAtMost(tree.Threshold[node]);
        Fill(tree, learningRate, tree.Left[node], (2 * slot) + 1, level + 1, depth, feature, threshold, scaledLeaf);
        Fill(tree, learningRate, tree.Right[node], (2 * slot) + 2, level + 1, depth, feature, threshold, scaledLeaf);
    }

    /// <summary>The largest float32 not above <paramref name="value"/>: for any float32 x, x ≤ it exactly when x ≤ value.</summary>
    private static float FloatAtMost(double value)
    {
        var rounded = (float)value;
        return rounded > value ? MathF.BitDecrement(rounded) : rounded;
    }
}
