using System.Text.Json.Nodes;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>Model repositories on disk for a test: &lt;model&gt;/&lt;version&gt;/model.onnx (+ model-settings.json).</summary>
public static class Repositories
{
    /// <summary>A new empty repository directory.</summary>
    public static string Create() => TempDirectory.Create("repository");

    /// <summary>Writes a version of a model; <paramref name="settings"/> goes beside it as model-settings.json.</summary>
    public static string AddVersion(string repository, string model, long version, byte[] file, JsonNode? settings = null)
    {
        var directory = Path.Combine(repository, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), file);
        if (settings is not null)
        {
            File.WriteAllText(Path.Combine(directory, "model-settings.json"), settings.ToJsonString());
        }
        return directory;
    }

    /// <summary>The embedded house-price model's own description, to edit.</summary>
    public static JsonNode HousingSettings()
    {
        using var stream = typeof(Api.Model.EmbeddedSource).Assembly.GetManifestResourceStream("Appraise.Api.Models.housing.model-settings.json")!;
        return JsonNode.Parse(stream)!;
    }

    /// <summary>A repository holding the house-price model as version 1, its description edited by <paramref name="edit"/>.</summary>
    public static string WithHousing(Action<JsonNode>? edit = null)
    {
        var repository = Create();
        var settings = HousingSettings();
        edit?.Invoke(settings);
        AddVersion(repository, "housing", 1, OnnxModels.EmbeddedBytes(), settings);
        return repository;
    }
}
