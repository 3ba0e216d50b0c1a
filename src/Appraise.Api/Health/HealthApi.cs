using Appraise.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Appraise.Api.Health;

/// <summary>/healthz (liveness: the process answers) and /readyz (model loaded, not shutting down; the report store shown, never blocking).</summary>
public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddAppraiseHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<ShutdownState>();
        services.AddHostedService<DrainOnShutdown>();
        services.AddHealthChecks()
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [ReadyTag])
            .AddCheck<ModelHealthCheck>("model", tags: [ReadyTag])
            .AddCheck<ReportStoreHealthCheck>("report_store", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Liveness)
            .WithName("Liveness").WithTags("Operations")
            .WithSummary("Liveness: 200 while the process can answer.")
            .DisableRateLimiting();
        app.MapGet("/readyz", Readiness)
            .WithName("Readiness").WithTags("Operations")
            .WithSummary("Readiness: 503 with the reason while the model is not loaded or shutdown has begun; 200 with status degraded while the report store is away.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting();
        return app;
    }

    public static Ok<HealthResponse> Liveness(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new HealthResponse("healthy", []));
    }

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Readiness(
        HealthCheckService health, HttpResponse response, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), cancellationToken);
        var checks = report.Entries.ToDictionary(e => e.Key, e => new HealthCheckEntry(Status(e.Value.Status), e.Value.Description), StringComparer.Ordinal);
        var body = new HealthResponse(Status(report.Status), checks);
        response.Headers.CacheControl = "no-store";
        // Degraded (the report store is away) still serves predictions: only a failed check takes
        // the instance out of rotation.
        return report.Status != HealthStatus.Unhealthy
            ? TypedResults.Ok(body)
            : TypedResults.Json(body, AppJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
