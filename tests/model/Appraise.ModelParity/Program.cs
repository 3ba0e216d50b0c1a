using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appraise.Api.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// tests/model/run.sh: one parity model directory (tests/model/parity_models.py's layout) at a time.
//   Appraise.ModelParity DIR [--bit-identical]
// Evaluates the rows with appraise, with ONNX Runtime in this process (one thread, so it sums in
// tree order), and reads what onnxruntime-node and scikit-learn answered. Prints one line of
// figures; exits 1 when appraise and either ONNX Runtime disagree on a label or on a score beyond
// 2e-6 (relative, float), or differs from scikit-learn beyond 1e-5 (relative to max(|y|, 1)), or,
// with --bit-identical, is not scikit-learn's double on every row scikit-learn evaluated.
var directory = args[0];
var bitIdentical = args.Contains("--bit-identical");
var name = Path.GetFileName(directory.TrimEnd('/'));
var description = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "rows.json")))!;
var rowCount = (int)description["rows"]!;
var features = (int)description["features"]!;
var skipped = description["sklearn_skipped_rows"]?.AsArray().Select(n => (int)n!).ToHashSet() ?? [];
var rows = MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(Path.Combine(directory, "rows.f64"))).ToArray();

var versionDirectory = Path.Combine(directory, "1");
string? Optional(string file) => File.Exists(file) ? File.ReadAllText(file) : null;
var model = ModelBuilder.Build(new VersionCandidate(name, 1, versionDirectory, "parity"),
    new VersionFiles(File.ReadAllBytes(Path.Combine(versionDirectory, "model.onnx")), null, Optional(Path.Combine(versionDirectory, "model-settings.json"))),
    DateTimeOffset.UnixEpoch);
var ensemble = model.Ensemble;
var scores = new float[rowCount * ensemble.ScoreCount];
var labels = new long[rowCount];
var exact = new double[rowCount];
ensemble.Evaluate(rows, scores, labels, exact);
string Label(long label) => ensemble.Spec.Classes?.Strings is { } strings ? strings[label] : label.ToString(CultureInfo.InvariantCulture);

var problems = new List<string>();
var scoreOutput = model.Onnx.Outputs.First(o => o.Source == Appraise.Api.Onnx.ModelOutputSource.Scores).Name;
var labelOutput = model.Onnx.Outputs.FirstOrDefault(o => o.Source == Appraise.Api.Onnx.ModelOutputSource.Labels)?.Name;

// ONNX Runtime, here.
using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
using var session = new InferenceSession(Path.Combine(versionDirectory, "model.onnx"), options);
var input = model.Onnx.InputType == Appraise.Api.Onnx.TensorType.Fp64
    ? NamedOnnxValue.CreateFromTensor(model.Onnx.InputName, new DenseTensor<double>(rows, [rowCount, features]))
    : NamedOnnxValue.CreateFromTensor(model.Onnx.InputName, new DenseTensor<float>(rows.Select(v => (float)v).ToArray(), [rowCount, features]));
using var results = session.Run([input]);
var ortScores = results.First(r => r.Name == scoreOutput).AsEnumerable<float>().ToArray();
var ortLabels = labelOutput is null ? null : ensemble.Spec.Classes!.AreStrings
    ? results.First(r => r.Name == labelOutput).AsEnumerable<string>().ToArray()
    : results.First(r => r.Name == labelOutput).AsEnumerable<long>().Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();
var (ortMax, ortSame) = Compare(scores, ortScores, "ONNX Runtime (C#)", 2e-6);
CompareLabels(ortLabels, "ONNX Runtime (C#)");

// onnxruntime-node, from its files.
var nodeScores = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(directory, $"ort-node.{scoreOutput}.f32"))).ToArray();
var nodeLabels = labelOutput is null ? null : JsonNode.Parse(File.ReadAllText(Path.Combine(directory, $"ort-node.{labelOutput}.json")))!.AsArray()
    .Select(n => n!.GetValueKind() == JsonValueKind.String ? (string)n! : ((long)n!).ToString(CultureInfo.InvariantCulture)).ToArray();
var (nodeMax, nodeSame) = Compare(scores, nodeScores, "onnxruntime-node", 2e-6);
CompareLabels(nodeLabels, "onnxruntime-node");

// scikit-learn: probabilities or predictions in double, NaN where it refused a row.
var sklearnFile = description["outputs"]!.AsArray().First(o => (string)o!["name"]! == scoreOutput)!["sklearn"]!.GetValue<string>();
var sklearn = MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(Path.Combine(directory, sklearnFile))).ToArray();
var sklearnMax = 0.0;
var sklearnExact = 0;
var compared = 0;
for (var r = 0; r < rowCount; r++)
{
    if (skipped.Contains(r))
    {
        continue;
    }
    compared++;
    var width = ensemble.ScoreCount;
    var rowExact = true;
    for (var k = 0; k < width; k++)
    {
        var theirs = sklearn[(r * width) + k];
        var ours = ensemble.IsClassifier ? scores[(r * width) + k] : exact[r];
        var difference = Math.Abs(ours - theirs) / Math.Max(1, Math.Abs(theirs));
        sklearnMax = Math.Max(sklearnMax, difference);
        rowExact &= ours == theirs;
    }
    sklearnExact += rowExact ? 1 : 0;
}
if (sklearnMax > 1e-5)
{
    problems.Add($"differs from scikit-learn by {sklearnMax:G3} (relative), over 1e-5");
}
if (bitIdentical && sklearnExact != compared)
{
    problems.Add($"bit-identical to scikit-learn on {sklearnExact} of {compared} rows, not all");
}
var sklearnLabels = labelOutput is null ? null : JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "sklearn.label.json")))!.AsArray();
var labelAgreement = "";
if (sklearnLabels is not null)
{
    var agree = Enumerable.Range(0, rowCount).Count(r => !skipped.Contains(r) && sklearnLabels[r] is { } l &&
        (l.GetValueKind() == JsonValueKind.String ? (string)l! : ((long)l).ToString(CultureInfo.InvariantCulture)) == Label(labels[r]));
    labelAgreement = $", labels as scikit-learn's on {agree} of {compared}";
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"model parity: {name} ({model.Onnx.InputType}, {ensemble.TreeCount} trees, {rowCount} rows): max |difference| to ONNX Runtime C# {ortMax:G3} ({ortSame} of {scores.Length} scores identical), to onnxruntime-node {nodeMax:G3} ({nodeSame} identical), to scikit-learn {sklearnMax:G3} relative ({sklearnExact} of {compared} rows exactly){labelAgreement}"));
foreach (var problem in problems)
{
    Console.WriteLine($"{name}: {problem}");
}
return problems.Count == 0 ? 0 : 1;

(double Max, int Same) Compare(float[] ours, float[] theirs, string who, double tolerance)
{
    if (ours.Length != theirs.Length)
    {
        problems.Add($"{who} answered {theirs.Length} scores, appraise {ours.Length}");
        return (double.NaN, 0);
    }
    var max = 0.0;
    var same = 0;
    for (var i = 0; i < ours.Length; i++)
    {
        if (ours[i].Equals(theirs[i]))
        {
            same++;
            continue;
        }
        var difference = Math.Abs(ours[i] - theirs[i]) / Math.Max(1, Math.Abs(theirs[i]));
        max = Math.Max(max, double.IsNaN(difference) ? double.PositiveInfinity : difference);
    }
    if (max > tolerance)
    {
        problems.Add($"differs from {who} by {max:G3} (relative), over {tolerance}");
    }
    return (max, same);
}

void CompareLabels(string[]? theirs, string who)
{
    if (theirs is null)
    {
        return;
    }
    var differ = Enumerable.Range(0, rowCount).Count(r => Label(labels[r]) != theirs[r]);
    if (differ > 0)
    {
        problems.Add($"{differ} labels differ from {who}'s");
    }
}
