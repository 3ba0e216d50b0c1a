using System.Text.Json;
using Appraise.Api.Hosting;

namespace Appraise.Api.Model;

/// <summary>Reads an appraise-gbr/1 document and checks every tree before it can serve.</summary>
public static class ModelLoader
{
    public const string SupportedFormat = "appraise-gbr/1";
    private const string EmbeddedResourceName = "Appraise.Api.Model.housing-gbr.json";

    /// <summary>Loads the model from <paramref name="path"/>, or the embedded one when it is empty.</summary>
    public static HousingModel Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            using var embedded = typeof(ModelLoader).Assembly.GetManifestResourceStream(EmbeddedResourceName)
                ?? throw new InvalidModelException($"The embedded model resource '{EmbeddedResourceName}' is missing from the build.");
            return Load(embedded, "the embedded model");
        }
        if (!File.Exists(path))
        {
            throw new InvalidModelException($"Model file '{path}' (Model:Path) does not exist.");
        }
        using var file = File.OpenRead(path);
        return Load(file, $"model file '{path}'");
    }

    public static HousingModel Load(Stream stream, string source)
    {
        ModelDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(stream, AppJsonContext.Default.ModelDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"{source} is not valid JSON: {e.Message}", e);
        }
        if (document is null)
        {
            throw new InvalidModelException($"{source} is empty.");
        }
        return Build(document, source);
    }

    private static HousingModel Build(ModelDocument document, string source)
    {
        Require(document.Format == SupportedFormat, source, $"format is '{document.Format}', expected '{SupportedFormat}'");
        Require(!string.IsNullOrWhiteSpace(document.ModelVersion), source, "model_version is missing");
        var expected = HousingFeatures.All.Select(f => f.Name).ToArray();
        Require(document.Features is not null && document.Features.SequenceEqual(expected), source,
            $"features must be [{string.Join(", ", expected)}] in that order");
        var ranges = ReadRanges(document, source);
        Require(double.IsFinite(document.InitValue), source, "init_value must be finite");
        Require(double.IsFinite(document.LearningRate) && document.LearningRate > 0, source, "learning_rate must be a positive number");
        Require(document.Trees is { Length: > 0 }, source, "it has no trees");

        var total = document.Trees.Sum(t => t.Value?.Length ?? 0);
        var roots = new int[document.Trees.Length];
        var feature = new int[total];
        var threshold = new double[total];
        var left = new int[total];
        var right = new int[total];
        var value = new double[total];
        var offset = 0;
        for (var t = 0; t < document.Trees.Length; t++)
        {
            var tree = document.Trees[t];
            ValidateTree(tree, t, source);
            roots[t] = offset;
            for (var n = 0; n < tree.Value.Length; n++)
            {
                var isLeaf = tree.Feature[n] < 0;
                feature[offset + n] = isLeaf ? -1 : tree.Feature[n];
                threshold[offset + n] = tree.Threshold[n];
                left[offset + n] = isLeaf ? -1 : offset + tree.Left[n];
                right[offset + n] = isLeaf ? -1 : offset + tree.Right[n];
                value[offset + n] = tree.Value[n];
            }
            offset += tree.Value.Length;
        }
        return new HousingModel(document, ranges, roots, feature, threshold, left, right, value);
    }

    private static FeatureRanges ReadRanges(ModelDocument document, string source)
    {
        var minimum = new double[HousingFeatures.Count];
        var maximum = new double[HousingFeatures.Count];
        for (var i = 0; i < HousingFeatures.Count; i++)
        {
            var name = HousingFeatures.All[i].Name;
            Require(document.FeatureRanges is not null && document.FeatureRanges.TryGetValue(name, out var range) && range is [var low, var high]
                && double.IsFinite(low) && double.IsFinite(high) && low < high,
                source, $"feature_ranges.{name} must be [minimum, maximum] with minimum below maximum");
            minimum[i] = document.FeatureRanges![name][0];
            maximum[i] = document.FeatureRanges[name][1];
        }
        return new FeatureRanges(minimum, maximum);
    }

    private static void ValidateTree(TreeDocument tree, int index, string source)
    {
        var where = $"tree {index}";
        Require(tree.Value is { Length: > 0 }, source, $"{where} has no nodes");
        var count = tree.Value!.Length;
        Require(tree.Feature?.Length == count && tree.Threshold?.Length == count && tree.Left?.Length == count && tree.Right?.Length == count,
            source, $"{where} has arrays of different lengths");
        for (var n = 0; n < count; n++)
        {
            Require(double.IsFinite(tree.Value[n]), source, $"{where} node {n} has a non-finite value");
            if (tree.Feature![n] < 0)
            {
                continue;
            }
            Require(tree.Feature[n] < HousingFeatures.Count, source, $"{where} node {n} splits on unknown feature {tree.Feature[n]}");
            Require(double.IsFinite(tree.Threshold![n]), source, $"{where} node {n} has a non-finite threshold");
            // Children always come after their parent, which also rules out cycles.
            Require(tree.Left![n] > n && tree.Left[n] < count && tree.Right![n] > n && tree.Right[n] < count,
                source, $"{where} node {n} points at a child outside the tree");
        }
    }

    private static void Require(bool condition, string source, string problem)
    {
        if (!condition)
        {
            throw new InvalidModelException($"Cannot load {source}: {problem}.");
        }
    }
}
