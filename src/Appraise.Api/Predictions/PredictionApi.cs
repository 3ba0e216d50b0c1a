using System.Diagnostics;
using Appraise.Api.Hosting;
using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Appraise.Api.Reports;
using Appraise.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Appraise.Api.Predictions;

/// <summary>The two prediction contracts: the API-key one with reports (seed 000) and the pandas one (seed 004).</summary>
public static class PredictionApi
{
    public const int MaxPredictionBodyBytes = 64 * 1024;
    public const int MaxBatchBodyBytes = 512 * 1024;

    public static IEndpointRouteBuilder MapPredictions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/prediction/", Predict)
            .WithName("Predict")
            .WithTags("Predictions")
            .WithSummary("Predict one row with the default model; optionally queue a report explaining it.")
            .WithDescription("Requires an API key in X-Api-Key (or api-key). A missing or wrong key is answered with 418, as the original service did.")
            .RequireApiKey()
            .Produces<InvalidApiKeyResponse>(StatusCodes.Status418ImATeapot)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimiting.ApiPolicy);

        app.MapPost("/predict", PredictBatch)
            .WithName("PredictBatch")
            .WithTags("Predictions")
            .WithSummary("Predict a pandas DataFrame in 'columns' orientation (up to 1000 rows) with the default model, or the one ?model= names.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimiting.ApiPolicy);
        return app;
    }

    public static async Task<Results<Ok<PredictionResponse>, ProblemHttpResult>> Predict(
        HttpRequest request,
        [FromQuery(Name = "generate_report")] string? generateReport,
        ModelRegistry models,
        ReportIntake reports,
        AppraiseMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (!ReportFlag.TryParse(generateReport, out var wantsReport))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["generate_report"] = ["Must be true or false (also 1/0, yes/no, on/off)."],
            });
        }
        // The default model's serving version, held for the whole request: a new version arriving
        // meanwhile serves the next request.
        if (SeedModel(models) is not { } model)
        {
            return NotServing(models);
        }
        var body = await JsonBody.ReadAsync(request, MaxPredictionBodyBytes, model.Features, PredictionRequestParser.Parse, cancellationToken);
        if (body.Problem is ProblemHttpResult problem)
        {
            return problem;
        }
        var parsed = body.Value!;
        if (parsed.Errors.Any)
        {
            return Problems.Validation(parsed.Errors.ToDictionary());
        }

        var started = Stopwatch.GetTimestamp();
        var prediction = model.PredictNumber(parsed.Features);
        metrics.Predicted("prediction", model, 1, Stopwatch.GetElapsedTime(started));

        string? reportId = null;
        if (wantsReport)
        {
            if (!model.Ensemble.CanExplain)
            {
                return Problems.Conflict($"Reports explain a single-target regressor; model {model.Label} is not one.");
            }
            reportId = await reports.AcceptAsync(model, parsed.EventId, parsed.Features, prediction, cancellationToken);
            if (reportId is null)
            {
                return Problems.StoreUnavailable("The report store cannot be reached right now, so no report was recorded and no prediction is returned. Retry shortly.");
            }
        }
        return TypedResults.Ok(new PredictionResponse(
            parsed.EventId, new FeatureValues(model.Features.Names, parsed.Features), prediction, wantsReport, reportId, model.Label));
    }

    public static async Task<Results<Ok<BatchPredictionResponse>, ProblemHttpResult>> PredictBatch(
        HttpRequest request,
        [FromQuery(Name = "model")] string? modelName,
        ModelRegistry models,
        ModelRepository repository,
        AppraiseMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (modelName is not null && modelName != models.DefaultName)
        {
            if (models.Find(modelName, null) is not { } named)
            {
                return repository.Index().Any(s => s.Model == modelName)
                    ? Problems.ModelNotReady(modelName)
                    : Problems.NotFound($"No model named '{modelName}' is in the repository; GET /v2/repository/index or the model card lists them.");
            }
            if (!named.AnswersOneNumber)
            {
                return Problems.Conflict(OneNumberOnly(named));
            }
        }
        if ((modelName is null || modelName == models.DefaultName ? SeedModel(models) : models.Find(modelName, null)) is not { } model)
        {
            return NotServing(models);
        }
        var body = await JsonBody.ReadAsync(request, MaxBatchBodyBytes, model.Features, ColumnsBatchParser.Parse, cancellationToken);
        if (body.Problem is ProblemHttpResult problem)
        {
            return problem;
        }
        var batch = body.Value!;
        if (batch.Errors.Any)
        {
            return Problems.Validation(batch.Errors.ToDictionary());
        }
        var started = Stopwatch.GetTimestamp();
        var predictions = new double[batch.RowCount];
        model.PredictNumbers(batch.Rows, predictions);
        metrics.Predicted("predict", model, batch.RowCount, Stopwatch.GetElapsedTime(started));
        return TypedResults.Ok(new BatchPredictionResponse(predictions));
    }

    /// <summary>The default model, when it is loaded and answers one number per row.</summary>
    internal static ServedModel? SeedModel(ModelRegistry models) => models.Default is { AnswersOneNumber: true } model ? model : null;

    internal static ProblemHttpResult NotServing(ModelRegistry models) => models.Default is { } model
        ? Problems.Conflict(OneNumberOnly(model))
        : Problems.ModelNotReady(models.DefaultName);

    private static string OneNumberOnly(ServedModel model) =>
        $"The seed endpoints answer one number per row; model {model.Label} answers {(model.Ensemble.IsClassifier ? "string labels" : $"{model.Ensemble.ScoreCount} targets")}: use /v2/models/{model.Name}/infer.";
}
