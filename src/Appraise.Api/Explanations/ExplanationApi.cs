using Appraise.Api.Hosting;
using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Appraise.Api.Predictions;
using Appraise.Api.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraise.Api.Explanations;

/// <summary>
/// Why the default model predicts what it does, on request and at once (a report does the same
/// durably, in the background). No API key, like <c>POST /predict</c>: it stores nothing, costs
/// about as much as one prediction, and is rate-limited per client; the home page uses it.
/// </summary>
public static class ExplanationApi
{
    public const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapExplanations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/explanation")
            .WithTags("Explanations")
            .RequireRateLimiting(RateLimiting.ApiPolicy);
        group.MapPost("/", Explain)
            .WithName("Explain")
            .WithSummary("Predict one row with the default model and explain it: the model's baseline and each feature's contribution.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/chart.svg", Chart)
            .WithName("ExplainChart")
            .WithSummary("The same explanation as an SVG waterfall chart (the one reports draw).")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<Ok<ExplanationResponse>, ProblemHttpResult>> Explain(
        HttpRequest request, ModelRegistry models, AppraiseMetrics metrics, CancellationToken cancellationToken)
    {
        var (model, features, problem) = await ReadFeaturesAsync(request, models, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (prediction, explanation) = Evaluate(model!, metrics, features!);
        return TypedResults.Ok(new ExplanationResponse(
            new FeatureValues(model!.Features.Names, features!), prediction, explanation.Baseline, Contributions(model, features!, explanation), model.Label));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Chart(
        HttpRequest request, ModelRegistry models, AppraiseMetrics metrics, CancellationToken cancellationToken)
    {
        var (model, features, problem) = await ReadFeaturesAsync(request, models, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (prediction, explanation) = Evaluate(model!, metrics, features!);
        var svg = WaterfallChart.Render(model!.Features.Names, features!, explanation, prediction, WaterfallChart.Caption(model, $"Model {model.Label}"));
        return TypedResults.Content(svg, "image/svg+xml; charset=utf-8");
    }

    /// <summary>The default model (when it explains) and the request's row; or why not.</summary>
    private static async Task<(ServedModel? Model, double[]? Features, ProblemHttpResult? Problem)> ReadFeaturesAsync(
        HttpRequest request, ModelRegistry models, CancellationToken cancellationToken)
    {
        var model = models.Default;
        if (model is null)
        {
            return (null, null, Problems.ModelNotReady(models.DefaultName));
        }
        if (!model.Ensemble.CanExplain)
        {
            return (null, null, Problems.Conflict($"Explanations cover single-target regressors that sum their trees; model {model.Label} is not one."));
        }
        var body = await JsonBody.ReadAsync(request, MaxBodyBytes, model.Features, PredictionRequestParser.ParseFeatures, cancellationToken);
        if (body.Problem is ProblemHttpResult problem)
        {
            return (null, null, problem);
        }
        var parsed = body.Value!;
        return parsed.Errors.Any ? (null, null, Problems.Validation(parsed.Errors.ToDictionary())) : (model, parsed.Features, null);
    }

    private static (double Prediction, ReportExplanation Explanation) Evaluate(ServedModel model, AppraiseMetrics metrics, double[] features)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var contributions = new double[model.Features.Count];
        var prediction = model.PredictNumber(features);
        model.Ensemble.Explain(features, contributions);
        metrics.Predicted("explanation", model, 1, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return (prediction, new ReportExplanation(model.Ensemble.Baseline, contributions));
    }

    private static FeatureContribution[] Contributions(ServedModel model, double[] features, ReportExplanation explanation) =>
        [.. model.Features.Names.Select((name, i) => new FeatureContribution(name, features[i], explanation.Contributions[i]))];
}
