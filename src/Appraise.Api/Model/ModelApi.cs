using Appraise.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Appraise.Api.Model;

/// <summary>GET /api/v1/model: the default model's card, which the home page builds its form from.</summary>
public static class ModelApi
{
    public static IEndpointRouteBuilder MapModel(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/model", Card)
            .WithName("ModelCard")
            .WithTags("Model")
            .WithSummary("The default model's card (or the one ?model= names): version, training, holdout metrics, and every feature's meaning, unit, accepted range and importance.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting();
        return app;
    }

    public static Results<Ok<ModelCard>, ProblemHttpResult> Card([FromQuery(Name = "model")] string? model, ModelRegistry models, ModelRepository repository)
    {
        var name = model ?? models.DefaultName;
        if (models.Find(name, null) is { } served)
        {
            return TypedResults.Ok(ModelCard.From(served));
        }
        return name == models.DefaultName || repository.Index().Any(s => s.Model == name)
            ? Problems.ModelNotReady(name)
            : Problems.NotFound($"No model named '{name}' is in the repository; GET /v2/repository/index lists them.");
    }
}
