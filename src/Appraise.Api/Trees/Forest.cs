namespace Appraise.Api.Trees;

/// <summary>
/// The trees of one ensemble, checked and laid out flat: every node has a global index, children
/// point at global indices, and each leaf's votes are one run of <see cref="VoteTarget"/> and
/// <see cref="VoteWeight"/>. Built once per model version; everything that would let a file crash
/// or hang the service (ids out of range, a cycle, a NaN threshold, a feature the input does not
/// have) is refused here with one line naming it.
/// </summary>
internal sealed class Forest
{
    /// <summary>Deeper trees are refused: nothing real comes near, and it bounds every walk.</summary>
    public const int MaxDepth = 512;

    private Forest(TreeEnsembleSpec spec, int[] roots, int[] trueChild, int[] falseChild, int[] voteStart, int[] voteTarget, double[] voteWeight)
    {
        Spec = spec;
        Roots = roots;
        TrueChild = trueChild;
        FalseChild = falseChild;
        VoteStart = voteStart;
        VoteTarget = voteTarget;
        VoteWeight = voteWeight;
    }

    public TreeEnsembleSpec Spec { get; }

    /// <summary>The first node of each run of <c>nodes_treeids</c>: a tree's root, in evaluation order.</summary>
    public int[] Roots { get; }

    public int[] TrueChild { get; }

    public int[] FalseChild { get; }

    /// <summary>Leaf n's votes are [VoteStart[n], VoteStart[n + 1]); a branch has none.</summary>
    public int[] VoteStart { get; }

    public int[] VoteTarget { get; }

    public double[] VoteWeight { get; }

    public int NodeCount => Spec.NodeIds.Length;

    public bool IsLeaf(int node) => Spec.NodeModes[node] == NodeMode.Leaf;

    public bool MissingGoesTrue(int node) => node < Spec.NodeMissingTracksTrue.Length && Spec.NodeMissingTracksTrue[node] == 1;

    public static Forest Build(TreeEnsembleSpec spec)
    {
        var count = spec.NodeIds.Length;
        Require(count > 0, "it has no nodes");
        Require(spec.NodeTreeIds.Length == count && spec.NodeFeatureIds.Length == count && spec.NodeValues.Length == count
            && spec.NodeModes.Length == count && spec.NodeTrueIds.Length == count && spec.NodeFalseIds.Length == count,
            "its nodes_* attributes differ in length");
        Require(spec.NodeMissingTracksTrue.Length <= count, "nodes_missing_value_tracks_true is longer than the node list");
        var votes = spec.WeightTreeIds.Length;
        Require(spec.WeightNodeIds.Length == votes && spec.WeightTargetIds.Length == votes && spec.Weights.Length == votes,
            "its target_* (or class_*) attributes differ in length");
        Require(spec.TargetCount > 0, "it has no targets or classes");

        var (roots, index) = IndexNodes(spec);
        var trueChild = new int[count];
        var falseChild = new int[count];
        for (var n = 0; n < count; n++)
        {
            if (spec.NodeModes[n] == NodeMode.Leaf)
            {
                trueChild[n] = falseChild[n] = -1;
                continue;
            }
            var where = $"node {spec.NodeIds[n]} of tree {spec.NodeTreeIds[n]}";
            Require(spec.NodeFeatureIds[n] >= 0 && spec.NodeFeatureIds[n] < spec.FeatureCount,
                $"{where} splits on feature {spec.NodeFeatureIds[n]}, but the input has {spec.FeatureCount}");
            Require(!double.IsNaN(spec.NodeValues[n]), $"{where} has a NaN threshold");
            trueChild[n] = Child(index, spec.NodeTreeIds[n], spec.NodeTrueIds[n], where, "true");
            falseChild[n] = Child(index, spec.NodeTreeIds[n], spec.NodeFalseIds[n], where, "false");
        }
        var (voteStart, voteTarget, voteWeight) = GatherVotes(spec, index);
        var forest = new Forest(spec, roots, trueChild, falseChild, voteStart, voteTarget, voteWeight);
        forest.CheckShape();
        return forest;
    }

    /// <summary>How deep the deepest tree goes (0 for a tree that is one leaf).</summary>
    public int Depth()
    {
        var depth = new int[NodeCount];
        var deepest = 0;
        foreach (var root in Roots)
        {
            deepest = Math.Max(deepest, DepthOf(root, depth));
        }
        return deepest;
    }

    private int DepthOf(int node, int[] memo)
    {
        // Post-order without recursion; CheckShape has ruled out cycles and bounded the depth.
        if (IsLeaf(node))
        {
            return 0;
        }
        if (memo[node] > 0)
        {
            return memo[node];
        }
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var top = stack.Peek();
            var pending = false;
            foreach (var child in (ReadOnlySpan<int>)[TrueChild[top], FalseChild[top]])
            {
                if (!IsLeaf(child) && memo[child] == 0)
                {
                    stack.Push(child);
                    pending = true;
                }
            }
            if (!pending)
            {
                stack.Pop();
                memo[top] = 1 + Math.Max(IsLeaf(TrueChild[top]) ? 0 : memo[TrueChild[top]], IsLeaf(FalseChild[top]) ? 0 : memo[FalseChild[top]]);
            }
        }
        return memo[node];
    }

    /// <summary>
    /// Every tree is finite and not too deep: a walk from each root that meets a node already on
    /// its path has found a cycle. Shared subtrees (LightGBM's category chains share a true child)
    /// are fine; each node is finished once.
    /// </summary>
    private void CheckShape()
    {
        var state = new byte[NodeCount]; // 0 unseen, 1 on the current path, 2 finished
        var level = new int[NodeCount];
        var stack = new Stack<(int Node, int Next)>();
        for (var t = 0; t < Roots.Length; t++)
        {
            if (state[Roots[t]] == 2)
            {
                continue;
            }
            stack.Push((Roots[t], 0));
            state[Roots[t]] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (IsLeaf(node) || next == 2)
                {
                    state[node] = 2;
                    continue;
                }
                stack.Push((node, next + 1));
                var child = next == 0 ? TrueChild[node] : FalseChild[node];
                Require(state[child] != 1, $"tree {Spec.NodeTreeIds[Roots[t]]} has a cycle through node {Spec.NodeIds[child]}");
                if (state[child] == 0)
                {
                    level[child] = level[node] + 1;
                    Require(level[child] <= MaxDepth, $"tree {Spec.NodeTreeIds[Roots[t]]} is deeper than {MaxDepth} levels");
                    state[child] = 1;
                    stack.Push((child, 0));
                }
            }
        }
    }

    private static (int[] Roots, Dictionary<(long Tree, long Node), int> Index) IndexNodes(TreeEnsembleSpec spec)
    {
        var roots = new List<int>();
        var seenTrees = new HashSet<long>();
        var index = new Dictionary<(long, long), int>(spec.NodeIds.Length);
        for (var n = 0; n < spec.NodeIds.Length; n++)
        {
            var tree = spec.NodeTreeIds[n];
            if (n == 0 || tree != spec.NodeTreeIds[n - 1])
            {
                Require(seenTrees.Add(tree), $"the nodes of tree {tree} are not listed together");
                roots.Add(n);
            }
            Require(index.TryAdd((tree, spec.NodeIds[n]), n), $"node {spec.NodeIds[n]} of tree {tree} is listed twice");
        }
        return ([.. roots], index);
    }

    private static int Child(Dictionary<(long, long), int> index, long tree, long id, string where, string branch)
    {
        Require(index.TryGetValue((tree, id), out var child), $"{where} sends its {branch} branch to node {id}, which tree {tree} does not have");
        return child;
    }

    /// <summary>
    /// Each leaf's votes, in the order ONNX Runtime applies them (by tree, node, then position).
    /// With one target only a leaf's first vote counts, as in ONNX Runtime; votes on branch nodes
    /// are ignored, as there.
    /// </summary>
    private static (int[] Start, int[] Target, double[] Weight) GatherVotes(TreeEnsembleSpec spec, Dictionary<(long, long), int> index)
    {
        var perNode = new List<(int Target, double Weight)>?[spec.NodeIds.Length];
        for (var v = 0; v < spec.WeightTreeIds.Length; v++)
        {
            var tree = spec.WeightTreeIds[v];
            var id = spec.WeightNodeIds[v];
            Require(index.TryGetValue((tree, id), out var node), $"a vote is for node {id} of tree {tree}, which does not exist");
            var target = spec.WeightTargetIds[v];
            Require(target >= 0 && target < spec.TargetCount, $"a vote is for target {target}, outside 0..{spec.TargetCount - 1}");
            Require(double.IsFinite(spec.Weights[v]), $"the vote of node {id} of tree {tree} is not a finite number");
            if (spec.NodeModes[node] != NodeMode.Leaf)
            {
                continue;
            }
            var list = perNode[node] ??= [];
            if (spec.TargetCount == 1 && list.Count == 1)
            {
                continue;
            }
            list.Add(((int)target, spec.Weights[v]));
        }
        var start = new int[spec.NodeIds.Length + 1];
        var targets = new List<int>();
        var weights = new List<double>();
        for (var n = 0; n < perNode.Length; n++)
        {
            start[n] = targets.Count;
            foreach (var (target, weight) in perNode[n] ?? [])
            {
                targets.Add(target);
                weights.Add(weight);
            }
        }
        start[^1] = targets.Count;
        return (start, [.. targets], [.. weights]);
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidModelException(problem);
        }
    }
}
