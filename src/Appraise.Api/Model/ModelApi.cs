namespace Appraise.Api.Model;

/// <summary>GET /api/v1/model: the model card, which the home page builds its form from.</summary>
public static class ModelApi
{
    public static IEndpointRouteBuilder MapModel(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/model", (HousingModel model) => TypedResults.Ok(ModelCard.From(model)))
            .WithName("ModelCard")
            .WithTags("Model")
            .WithSummary("The model card: version, training date, holdout R² and RMSE, and every feature's meaning, unit, accepted range and importance.")
            .DisableRateLimiting();
        return app;
    }
}
