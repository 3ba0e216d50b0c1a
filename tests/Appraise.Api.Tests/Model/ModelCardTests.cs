using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Model;

/// <summary>GET /api/v1/model: what the home page builds its form and model card from, all of it from the model's description.</summary>
public sealed class ModelCardTests
{
    [Fact]
    public async Task TheCardCarriesTheModelsVersionMetricsRangesAndImportances()
    {
        await using var app = new AppraiseApplication();
        var settings = Repositories.HousingSettings();

        var card = JsonNode.Parse(await app.CreateClient().GetStringAsync("/api/v1/model"))!;

        Assert.Equal("housing/1", (string?)card["model_version"]);
        Assert.Equal("regressor", (string?)card["kind"]);
        Assert.Equal((string?)settings["training"]!["trained_at"], (string?)card["trained_at"]);
        Assert.Equal((double)settings["training"]!["metrics"]!["holdout_r2"]!, (double)card["metrics"]!["holdout_r2"]!);
        Assert.Equal((double)settings["training"]!["metrics"]!["holdout_rmse"]!, (double)card["metrics"]!["holdout_rmse"]!);
        Assert.Equal(300, (int)card["trees"]!);
        Assert.Equal((string?)settings["sha256"], (string?)card["sha256"]);
        var described = settings["features"]!.AsArray();
        var features = card["features"]!.AsArray();
        Assert.Equal(described.Select(f => (string)f!["name"]!), features.Select(f => (string)f!["name"]!));
        for (var i = 0; i < features.Count; i++)
        {
            var name = (string)features[i]!["name"]!;
            Assert.Equal((double)described[i]!["minimum"]!, (double)features[i]!["minimum"]!);
            Assert.Equal((double)described[i]!["maximum"]!, (double)features[i]!["maximum"]!);
            Assert.Equal((double)settings["importances"]![name]!, (double)features[i]!["importance"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)features[i]!["meaning"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)features[i]!["unit"]));
        }
    }

    [Fact]
    public async Task ValidationFollowsTheModelsDescriptionNotACopyOfIt()
    {
        var repository = Repositories.WithHousing(settings =>
        {
            var rm = settings["features"]!.AsArray().First(f => (string)f!["name"]! == "RM")!;
            rm["minimum"] = 2.0;
            rm["maximum"] = 9.0;
            settings.AsObject().Remove("sha256");
        });
        await using var app = new AppraiseApplication(new() { ["Model:Repository"] = repository });
        await app.WaitUntilReadyAsync();

        var errors = await ProblemAssert.Validation(await app.CreateAuthorizedClient().PostAsync("/api/v1/prediction/",
            AppraiseApplication.Json(Samples.Prediction.Replace("6.575", "9.5", StringComparison.Ordinal))));

        Assert.Equal(["RM must be between 2 and 9."], errors["payload.RM"]);
        Assert.Equal(9, (double)JsonNode.Parse(await app.CreateClient().GetStringAsync("/api/v1/model"))!["features"]![1]!["maximum"]!);
    }

    [Fact]
    public async Task AModelWithoutADescriptionNamesItsColumnsAfterTheInputAndChecksOnlyFiniteness()
    {
        var repository = Repositories.Create();
        var model = global::Onnx.ModelProto.Parser.ParseFrom(OnnxModels.EmbeddedBytes());
        model.MetadataProps.Clear();
        Repositories.AddVersion(repository, "bare", 1, OnnxModels.Bytes(model));
        await using var app = new AppraiseApplication(new() { ["Model:Repository"] = repository });
        await app.WaitUntilReadyAsync();

        var card = JsonNode.Parse(await app.CreateClient().GetStringAsync("/api/v1/model"))!;
        Assert.Equal(["X_0", "X_1", "X_2", "X_3", "X_4", "X_5"], card["features"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.Null(card["features"]![1]!["minimum"]);

        // Far outside the house-price ranges, but finite: accepted.
        var response = await app.CreateClient().PostAsync("/predict", AppraiseApplication.Json(
            """{"X_0":{"0":7},"X_1":{"0":-3},"X_2":{"0":1e9},"X_3":{"0":0},"X_4":{"0":0},"X_5":{"0":0}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
