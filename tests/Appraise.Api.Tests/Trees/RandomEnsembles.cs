using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Trees;

/// <summary>
/// Seeded random forests for the oracle tests: every node mode, missing-value tracks, shared
/// threshold values (so rows can sit exactly on them), leaves without votes, and votes shaped by
/// the model kind. Thresholds are float32 values, so float and double models split alike.
/// </summary>
internal static class RandomEnsembles
{
    public const int Features = 4;
    public static readonly double[] Thresholds = [-1.5, 0, 0.25, 1, 2.75, 10];

    /// <summary>
    /// A seed from a case's name that is the same in every run (string.GetHashCode is randomised
    /// per process, so a failing case would not come back with the same forest).
    /// </summary>
    public static int Seed(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)hash;
    }

    /// <summary><paramref name="trees"/> trees up to <paramref name="depth"/> deep; <paramref name="vote"/> gives each leaf its votes.</summary>
    public static TestTree[] Forest(Random random, int trees, int depth, string[] modes, Func<Random, (int, double)[]> vote) =>
        [.. Enumerable.Range(0, trees).Select(_ => Tree(random, depth, modes, vote))];

    private static TestTree Tree(Random random, int depth, string[] modes, Func<Random, (int, double)[]> vote)
    {
        var nodes = new List<TestNode>();
        Grow(random, depth, modes, vote, nodes);
        return new TestTree([.. nodes]);
    }

    // Preorder ids: the false child is the next node, as ONNX Runtime requires.
    private static int Grow(Random random, int depth, string[] modes, Func<Random, (int, double)[]> vote, List<TestNode> nodes)
    {
        var id = nodes.Count;
        if (depth == 0 || (nodes.Count > 0 && random.NextDouble() < 0.25))
        {
            nodes.Add(TestNode.Leaf(id, vote(random)));
            return id;
        }
        nodes.Add(null!);
        var falseChild = Grow(random, depth - 1, modes, vote, nodes);
        var trueChild = Grow(random, depth - 1, modes, vote, nodes);
        nodes[id] = new TestNode(id, modes[random.Next(modes.Length)], random.Next(Features), Thresholds[random.Next(Thresholds.Length)],
            trueChild, falseChild, MissingTrue: random.NextDouble() < 0.3);
        return id;
    }

    /// <summary>Rows of every threshold, its float and double neighbours, NaN, infinities and random values.</summary>
    public static double[] Rows(Random random, int count)
    {
        double[] special = [.. Thresholds, .. Thresholds.Select(t => Math.BitIncrement(t)), .. Thresholds.Select(t => Math.BitDecrement(t)),
            .. Thresholds.Select(t => (double)MathF.BitIncrement((float)t)), .. Thresholds.Select(t => (double)MathF.BitDecrement((float)t)),
            double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0];
        var rows = new double[count * Features];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = random.NextDouble() < 0.6 ? special[random.Next(special.Length)] : (random.NextDouble() * 16) - 4;
        }
        return rows;
    }
}
