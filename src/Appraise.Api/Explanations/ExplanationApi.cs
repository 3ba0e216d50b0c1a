using Appraise.Api.Hosting;
using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Appraise.Api.Predictions;
using Appraise.Api.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraise.Api.Explanations;

/// <summary>
/// Why the model values a house as it does, on request and at once (a report does the same
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
            .WithSummary("Predict one house price and explain it: the model's baseline and each feature's contribution.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/chart.svg", Chart)
            .WithName("ExplainChart")
            .WithSummary("The same explanation as an SVG waterfall chart (the one reports draw).")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static async Task<Results<Ok<ExplanationResponse>, ProblemHttpResult>> Explain(
        HttpRequest request, HousingModel model, AppraiseMetrics metrics, CancellationToken cancellationToken)
    {
        var (features, problem) = await ReadFeaturesAsync(request, model, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (prediction, explanation) = Evaluate(model, metrics, features!);
        return TypedResults.Ok(new ExplanationResponse(
            HousingPayload.From(features), prediction, explanation.Baseline, Contributions(features!, explanation), model.Version));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Chart(
        HttpRequest request, HousingModel model, AppraiseMetrics metrics, CancellationToken cancellationToken)
    {
        var (features, problem) = await ReadFeaturesAsync(request, model, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (prediction, explanation) = Evaluate(model, metrics, features!);
        var svg = WaterfallChart.Render(features!, explanation, prediction, $"Model {model.Version} · values in $1000s");
        return TypedResults.Content(svg, "image/svg+xml; charset=utf-8");
    }

    private static async Task<(double[]? Features, ProblemHttpResult? Problem)> ReadFeaturesAsync(
        HttpRequest request, HousingModel model, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, MaxBodyBytes, model.Ranges, PredictionRequestParser.ParseFeatures, cancellationToken);
        if (body.Problem is ProblemHttpResult problem)
        {
            return (null, problem);
        }
        var parsed = body.Value!;
        return parsed.Errors.Any ? (null, Problems.Validation(parsed.Errors.ToDictionary())) : (parsed.Features, null);
    }

    private static (double Prediction, ReportExplanation Explanation) Evaluate(HousingModel model, AppraiseMetrics metrics, double[] features)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var contributions = new double[HousingFeatures.Count];
        var prediction = model.Predict(features);
        model.Explain(features, contributions);
        metrics.Predicted("explanation", 1, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return (prediction, new ReportExplanation(model.Baseline, contributions));
    }

    private static FeatureContribution[] Contributions(double[] features, ReportExplanation explanation) =>
        [.. HousingFeatures.All.Select((f, i) => new FeatureContribution(f.Name, features[i], explanation.Contributions[i]))];
}
