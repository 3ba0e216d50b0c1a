using Appraise.Api.Hosting;
using Appraise.Api.Model;
using Appraise.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>GET /api/v1/reports/{id}: the finished report, or its state while it is being produced.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reports/{id}", GetReport)
            .WithName("GetReport")
            .WithTags("Reports")
            .WithSummary("Read a report: 200 when completed or failed, 202 while queued or running, 404 when unknown.")
            .RequireApiKey()
            .Produces<InvalidApiKeyResponse>(StatusCodes.Status418ImATeapot)
            .Produces<ReportResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimiting.ApiPolicy);
        app.MapGet("/api/v1/reports/{id}/chart.svg", GetChart)
            .WithName("GetReportChart")
            .WithTags("Reports")
            .WithSummary("The report as an SVG waterfall: baseline, each feature's contribution, prediction. 409 until it is completed.")
            .RequireApiKey()
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .Produces<InvalidApiKeyResponse>(StatusCodes.Status418ImATeapot)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimiting.ApiPolicy);
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetChart(
        string id, IReportStore store, ReportStoreStatus status, ModelRegistry models, IOptions<ReportsOptions> options, CancellationToken cancellationToken)
    {
        var (report, problem) = await Find(id, store, status, options.Value, cancellationToken);
        if (report is null)
        {
            return problem!;
        }
        var (names, unit) = Columns(report, models);
        if (report.State != ReportState.Completed || report.Explanation is null || names is null)
        {
            return TypedResults.Problem($"Report '{id}' is {ReportStates.Name(report.State)}; its chart exists once it is completed.",
                statusCode: StatusCodes.Status409Conflict, title: "Report not completed");
        }
        return TypedResults.Content(WaterfallChart.Render(report, names, unit), "image/svg+xml; charset=utf-8");
    }

    public static async Task<Results<Ok<ReportResponse>, Accepted<ReportResponse>, ProblemHttpResult>> GetReport(
        string id, HttpResponse response, IReportStore store, ReportStoreStatus status, ModelRegistry models, IOptions<ReportsOptions> options,
        CancellationToken cancellationToken)
    {
        var (report, problem) = await Find(id, store, status, options.Value, cancellationToken);
        if (report is null)
        {
            return problem!;
        }
        var body = ReportResponse.From(report, Columns(report, models).Names);
        if (report.State is ReportState.Completed or ReportState.Failed)
        {
            return TypedResults.Ok(body);
        }
        response.Headers.RetryAfter = "1";
        return TypedResults.Accepted($"/api/v1/reports/{report.Id}", body);
    }

    /// <summary>
    /// The column names of a report's model, and its target's unit: the version that made it while
    /// it is served, else the default model's when its columns fit (a report from another release).
    /// </summary>
    private static (IReadOnlyList<string>? Names, string? Unit) Columns(Report report, ModelRegistry models)
    {
        var slash = report.ModelVersion.LastIndexOf('/');
        var model = slash > 0 && long.TryParse(report.ModelVersion.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? models.Find(report.ModelVersion[..slash], version)
            : null;
        model ??= models.Default;
        return model is not null && model.Features.Count == report.Features.Length ? (model.Features.Names, model.Settings.Target?.Unit) : (null, null);
    }

    private static async Task<(Report? Report, ProblemHttpResult? Problem)> Find(
        string id, IReportStore store, ReportStoreStatus status, ReportsOptions options, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out _))
        {
            return (null, Problems.NotFound("No report has this id."));
        }
        if (!status.IsInitialized)
        {
            return (null, Problems.StoreUnavailable("The report store cannot be reached right now. Retry shortly."));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.OperationTimeout);
        try
        {
            var report = await store.GetAsync(id, timeout.Token);
            status.MarkReachable();
            return report is null ? (null, Problems.NotFound("No report has this id.")) : (report, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            status.MarkUnreachable($"Reading a report failed: {e.Message}");
            return (null, Problems.StoreUnavailable("The report store cannot be reached right now. Retry shortly."));
        }
    }
}
