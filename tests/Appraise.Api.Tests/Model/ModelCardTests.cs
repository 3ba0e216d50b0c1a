using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Model;

/// <summary>GET /api/v1/model: what the home page builds its form and model card from, all of it from the model file.</summary>
public sealed class ModelCardTests
{
    private static JsonNode ModelFile()
    {
        using var stream = typeof(Appraise.Api.Model.ModelLoader).Assembly.GetManifestResourceStream("Appraise.Api.Model.housing-gbr.json")!;
        return JsonNode.Parse(stream)!;
    }

    [Fact]
    public async Task TheCardCarriesTheModelFilesVersionMetricsRangesAndImportances()
    {
        await using var app = new AppraiseApplication();
        var file = ModelFile();

        var card = JsonNode.Parse(await app.CreateClient().GetStringAsync("/api/v1/model"))!;

        Assert.Equal((string?)file["model_version"], (string?)card["model_version"]);
        Assert.Equal((string?)file["trained_at"], (string?)card["trained_at"]);
        Assert.Equal((double)file["metrics"]!["holdout_r2"]!, (double)card["metrics"]!["holdout_r2"]!);
        Assert.Equal((double)file["metrics"]!["holdout_rmse"]!, (double)card["metrics"]!["holdout_rmse"]!);
        Assert.Equal(file["trees"]!.AsArray().Count, (int)card["trees"]!);
        foreach (var feature in card["features"]!.AsArray())
        {
            var name = (string)feature!["name"]!;
            Assert.Equal((double)file["feature_ranges"]![name]![0]!, (double)feature["minimum"]!);
            Assert.Equal((double)file["feature_ranges"]![name]![1]!, (double)feature["maximum"]!);
            Assert.Equal((double)file["feature_importances"]![name]!, (double)feature["importance"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)feature["meaning"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)feature["unit"]));
        }
    }

    [Fact]
    public async Task ValidationFollowsTheModelFilesRangesNotACopyOfThem()
    {
        var json = ModelFile();
        json["feature_ranges"]!["RM"] = new JsonArray(2.0, 9.0);
        var path = Path.Combine(TempDirectory.Create("model"), "narrow.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        await using var app = new AppraiseApplication(new() { ["Model:Path"] = path });

        var errors = await ProblemAssert.Validation(await app.CreateAuthorizedClient().PostAsync("/api/v1/prediction/",
            AppraiseApplication.Json(Samples.Prediction.Replace("6.575", "9.5", StringComparison.Ordinal))));

        Assert.Equal(["RM must be between 2 and 9."], errors["payload.RM"]);
        Assert.Equal(9, (double)JsonNode.Parse(await app.CreateClient().GetStringAsync("/api/v1/model"))!["features"]![1]!["maximum"]!);
    }
}
