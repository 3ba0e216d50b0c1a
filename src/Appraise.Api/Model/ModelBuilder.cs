using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appraise.Api.Hosting;
using Appraise.Api.Onnx;
using Appraise.Api.Trees;

namespace Appraise.Api.Model;

/// <summary>
/// Turns a version's files into a <see cref="ServedModel"/>: the ONNX graph read and checked, the
/// description merged key by key (the version's model-settings.json over the model's over the
/// file's own <c>appraise.settings</c>), the declared SHA-256 verified, and the model's own check
/// run: its typical row must give finite scores. Anything wrong is an <see cref="InvalidModelException"/>.
/// </summary>
public static class ModelBuilder
{
    public const string SettingsMetadataKey = "appraise.settings";

    public static ServedModel Build(VersionCandidate candidate, VersionFiles files, DateTimeOffset now)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(files.Model));
        var onnx = OnnxModelReader.Read(files.Model);
        var settings = Merge(
            (onnx.Metadata.GetValueOrDefault(SettingsMetadataKey), $"the model's {SettingsMetadataKey} metadata"),
            (files.ModelSettingsJson, $"{DirectorySource.SettingsFile} of model {candidate.Model}"),
            (files.VersionSettingsJson, $"{DirectorySource.SettingsFile} of version {candidate.Version}"));
        if (settings.Sha256 is { } declared && !string.Equals(declared, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidModelException($"its sha256 is {sha256}, but its description declares {declared}");
        }
        var model = new ServedModel
        {
            Name = candidate.Model,
            Version = candidate.Version,
            Onnx = onnx,
            Settings = settings,
            Features = FeatureSchema.From(settings, onnx.Ensemble.FeatureCount, onnx.InputName),
            Sha256 = sha256,
            FileBytes = files.Model.LongLength,
            LoadedAt = now,
        };
        CheckTypicalRow(model);
        return model;
    }

    private static ModelSettings Merge(params (string? Json, string Source)[] sources)
    {
        var merged = new JsonObject();
        foreach (var (json, source) in sources)
        {
            if (json is null)
            {
                continue;
            }
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(json);
            }
            catch (JsonException e)
            {
                throw new InvalidModelException($"{source} is not valid JSON ({e.Message})", e);
            }
            if (node is not JsonObject settings)
            {
                throw new InvalidModelException($"{source} is not a JSON object");
            }
            foreach (var (key, value) in settings)
            {
                merged[key] = value?.DeepClone();
            }
        }
        try
        {
            return merged.Deserialize(AppJsonContext.Default.ModelSettings) ?? new ModelSettings();
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"its description does not follow docs/models.md ({e.Message})", e);
        }
    }

    private static void CheckTypicalRow(ServedModel model)
    {
        var ensemble = model.Ensemble;
        var scores = new float[ensemble.ScoreCount];
        var labels = new long[1];
        var exact = new double[1];
        ensemble.Evaluate(model.Features.Typical, scores, labels, exact);
        if (!scores.All(float.IsFinite))
        {
            throw new InvalidModelException("its typical row gives a score that is not a finite number");
        }
    }
}
