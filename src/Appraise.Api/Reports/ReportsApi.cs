using Appraise.Api.Hosting;
using Appraise.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;

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
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .Produces<InvalidApiKeyResponse>(StatusCodes.Status418ImATeapot)
            .Produces<ReportResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimiting.ApiPolicy);
        return app;
    }

    public static async Task<Results<Ok<ReportResponse>, Accepted<ReportResponse>, ProblemHttpResult>> GetReport(
        string id, HttpResponse response, IReportStore store, Microsoft.Extensions.Options.IOptions<ReportsOptions> options, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out _))
        {
            return Problems.NotFound($"No report has the id '{id}'.");
        }
        Report? report;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Value.OperationTimeout);
            try
            {
                report = await store.GetAsync(id, timeout.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return Problems.StoreUnavailable("The report store cannot be reached right now. Retry shortly.");
            }
        }
        if (report is null)
        {
            return Problems.NotFound($"No report has the id '{id}'.");
        }
        var body = ReportResponse.From(report);
        if (report.State is ReportState.Completed or ReportState.Failed)
        {
            return TypedResults.Ok(body);
        }
        response.Headers.RetryAfter = "1";
        return TypedResults.Accepted($"/api/v1/reports/{report.Id}", body);
    }
}
