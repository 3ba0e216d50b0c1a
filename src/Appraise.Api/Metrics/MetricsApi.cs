namespace Appraise.Api.Metrics;

/// <summary>GET /metrics: the Prometheus exposition (text format 0.0.4, or OpenMetrics when asked for).</summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        // The exporter's middleware as the whole of a pipeline, behind a route handler: its own
        // MapPrometheusScrapingEndpoint maps a pipeline branch, which OpenAPI cannot describe.
        var exporter = app.CreateApplicationBuilder();
        exporter.UseOpenTelemetryPrometheusScrapingEndpoint(_ => true);
        var scrape = exporter.Build();
        app.MapGet("/metrics", (HttpContext context, CancellationToken _) => scrape(context))
            .WithName("Metrics")
            .WithTags("Operations")
            .WithSummary("Prometheus metrics (text exposition format 0.0.4; OpenMetrics 1.0 when the Accept header asks for it).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .DisableRateLimiting();
        return app;
    }
}
