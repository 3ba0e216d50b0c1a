using Appraise.Api.Onnx;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Appraise.Api.Tests.Trees;

/// <summary>
/// appraise's tree evaluator against ONNX Runtime 1.32.0 (Microsoft.ML.OnnxRuntime, one thread so
/// it sums in tree order) on seeded random forests of every node mode, missing-value track,
/// aggregate function, post transform, base-value shape and label kind, float and double: the
/// labels must be the same, and the scores the same float (transforms may differ in the last bit:
/// .NET's MathF against the C++ library's float exp and log).
/// </summary>
public sealed class OnnxRuntimeOracleTests(ITestOutputHelper output)
{
    private static readonly string[] AllModes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"];
    private static readonly string[] Comparisons = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"];

    public static TheoryData<string, bool, string?, string?, int> Regressors()
    {
        var data = new TheoryData<string, bool, string?, string?, int>();
        foreach (var precision in new[] { false, true })
        {
            foreach (var aggregate in new[] { "SUM", "AVERAGE", "MIN", "MAX" })
            {
                foreach (var transform in new string?[] { null, "PROBIT", "LOGISTIC" })
                {
                    foreach (var targets in new[] { 1, 3 })
                    {
                        data.Add($"{aggregate}/{transform ?? "NONE"}/{targets}", precision, aggregate, transform, targets);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void RegressorsAgreeWithOnnxRuntime(string name, bool doublePrecision, string? aggregate, string? transform, int targets)
    {
        var random = new Random(RandomEnsembles.Seed(name) ^ (doublePrecision ? 1 : 2));
        foreach (var modes in new[] { Comparisons, AllModes })
        {
            var model = new EnsembleDescription(RandomEnsembles.Features, RandomEnsembles.Forest(random, 12, 4, modes,
                r => r.NextDouble() < 0.1 ? [] : [.. Enumerable.Range(0, targets).Where(_ => targets == 1 || r.NextDouble() < 0.7).Select(t => (t, (r.NextDouble() * 4) - 1))]))
            {
                DoublePrecision = doublePrecision,
                Targets = targets,
                Aggregate = aggregate,
                PostTransform = transform,
                BaseValues = random.NextDouble() < 0.5 ? null : [.. Enumerable.Range(0, targets).Select(_ => random.NextDouble() - 0.5)],
            };
            Compare(model, RandomEnsembles.Rows(random, 500), $"{name} {(doublePrecision ? "double" : "float")} {modes.Length} modes");
        }
    }

    /// <summary>
    /// Single-target forests of every depth from stumps to past the vector kernels (depth 4): padded
    /// to depth 3, taken as they are at 4, walked node by node deeper; 203 rows leave a partial
    /// vector and a partial block.
    /// </summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public void ForestsOfEveryDepthAgreeWithOnnxRuntime(int depth, bool doublePrecision)
    {
        var random = new Random(RandomEnsembles.Seed($"depth {depth}") ^ (doublePrecision ? 1 : 2));
        var model = new EnsembleDescription(RandomEnsembles.Features, RandomEnsembles.Forest(random, 40, depth, Comparisons,
            r => [(0, (r.NextDouble() * 4) - 1)]))
        {
            DoublePrecision = doublePrecision,
            Targets = 1,
        };
        Compare(model, RandomEnsembles.Rows(random, 203), $"depth {depth} {(doublePrecision ? "double" : "float")}");
    }

    public static TheoryData<string, int, bool, bool, string?, int, bool> Classifiers()
    {
        var data = new TheoryData<string, int, bool, bool, string?, int, bool>();
        foreach (var (classes, oneColumn) in new[] { (2, true), (2, false), (3, false) })
        {
            foreach (var positive in new[] { true, false })
            {
                foreach (var transform in new string?[] { null, "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT" })
                {
                    foreach (var bases in classes == 2 ? new[] { 0, 1, 2 } : [0, 3])
                    {
                        data.Add($"{classes}{(oneColumn ? "x1" : "")}/{(positive ? "+" : "±")}/{transform ?? "NONE"}/{bases}", classes, oneColumn, positive, transform, bases, bases == 1);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Classifiers))]
    public void ClassifiersAgreeWithOnnxRuntime(string name, int classes, bool oneColumn, bool positiveWeights, string? transform, int bases, bool stringLabels)
    {
        var random = new Random(RandomEnsembles.Seed(name));
        foreach (var (doublePrecision, modes) in new[] { (false, AllModes), (true, AllModes), (false, Comparisons), (true, Comparisons) })
        {
            var model = new EnsembleDescription(RandomEnsembles.Features, RandomEnsembles.Forest(random, 10, 4, modes,
                r => oneColumn
                    ? [(0, positiveWeights ? r.NextDouble() / 5 : (r.NextDouble() * 2) - 1)]
                    : [.. Enumerable.Range(0, classes).Select(c => (c, positiveWeights ? r.NextDouble() / 5 : (r.NextDouble() * 2) - 1))]))
            {
                DoublePrecision = doublePrecision,
                PostTransform = transform,
                BaseValues = bases == 0 ? null : [.. Enumerable.Range(0, bases).Select(_ => random.NextDouble() - 0.5)],
                Int64Labels = stringLabels ? null : [.. Enumerable.Range(0, classes).Select(c => (long)(c * 7) + 3)],
                StringLabels = stringLabels ? [.. Enumerable.Range(0, classes).Select(c => $"class-{c}")] : null,
            };
            Compare(model, RandomEnsembles.Rows(random, 500), $"{name} {(doublePrecision ? "double" : "float")} {modes.Length} modes");
        }
    }

    private void Compare(EnsembleDescription description, double[] rows, string what)
    {
        var bytes = OnnxModels.Bytes(OnnxModels.Build(description));
        var model = OnnxModelReader.Read(bytes);
        var count = rows.Length / description.Features;
        var ensemble = model.Ensemble;
        var scores = new float[count * ensemble.ScoreCount];
        var labels = new long[count];
        var exact = new double[count];
        ensemble.Evaluate(rows, scores, labels, exact);

        var (ortScores, ortLabels) = RunOnnxRuntime(bytes, description, rows, count);
        var identical = 0;
        // A binary classifier with one score column under PROBIT: ONNX Runtime writes only the
        // first score of each row (ml_common.h write_scores) and leaves the second as the memory
        // was; appraise writes 0 there. Those cells say nothing.
        var unwritten = description.PostTransform == "PROBIT" && description.Labels == 2 && description.Trees
            .SelectMany(t => t.Nodes).SelectMany(n => n.Votes).All(v => v.Target == 0) ? 2 : 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (unwritten > 0 && i % unwritten == 1)
            {
                continue;
            }
            var (ours, theirs) = (scores[i], ortScores[i]);
            if (ours.Equals(theirs))
            {
                identical++;
                continue;
            }
            var tolerance = description.PostTransform is null ? 0 : 2e-6f * Math.Max(1, Math.Abs(theirs));
            Assert.True(Math.Abs(ours - theirs) <= tolerance, $"{what}: score {i} (row {i / ensemble.ScoreCount}): appraise {ours:R}, ONNX Runtime {theirs:R}");
        }
        if (ortLabels is not null)
        {
            for (var r = 0; r < count; r++)
            {
                var ours = description.StringLabels is { } strings ? strings[labels[r]] : labels[r].ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(ours == ortLabels[r], $"{what}: row {r}: appraise {ours}, ONNX Runtime {ortLabels[r]}");
            }
        }
        output.WriteLine($"{what}: {identical} of {scores.Length} scores identical, {(ortLabels is null ? "" : $"{count} labels equal, ")}fast path {ensemble.HasFastPath}");
    }

    private static (float[] Scores, string[]? Labels) RunOnnxRuntime(byte[] bytes, EnsembleDescription description, double[] rows, int count)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(bytes, options);
        var input = description.DoublePrecision
            ? NamedOnnxValue.CreateFromTensor("X", new DenseTensor<double>(rows, [count, description.Features]))
            : NamedOnnxValue.CreateFromTensor("X", new DenseTensor<float>(rows.Select(v => (float)v).ToArray(), [count, description.Features]));
        using var results = session.Run([input]);
        var byName = results.ToDictionary(r => r.Name);
        if (byName.TryGetValue("variable", out var variable))
        {
            return (variable.AsEnumerable<float>().ToArray(), null);
        }
        var labels = description.StringLabels is null
            ? byName["label"].AsEnumerable<long>().Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : byName["label"].AsEnumerable<string>().ToArray();
        return (byName["probabilities"].AsEnumerable<float>().ToArray(), labels);
    }
}
