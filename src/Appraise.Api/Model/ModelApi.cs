using Appraise.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraise.Api.Model;

/// <summary>GET /api/v1/model: the default model's card, which the home page builds its form from.</summary>
public static class ModelApi
{
    public static IEndpointRouteBuilder MapModel(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/model", Card)
            .WithName("ModelCard")
            .WithTags("Model")
            .WithSummary("The default model's card: version, training, holdout metrics, and every feature's meaning, unit, accepted range and importance.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting();
        return app;
    }

    public static Results<Ok<ModelCard>, ProblemHttpResult> Card(ModelRegistry models) =>
        models.Default is { } model ? TypedResults.Ok(ModelCard.From(model)) : Problems.ModelNotReady(models.DefaultName);
}
