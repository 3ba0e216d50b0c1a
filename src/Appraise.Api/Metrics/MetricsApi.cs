namespace Appraise.Api.Metrics;

/// <summary>GET /metrics in the Prometheus text format.</summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (PrometheusExporter exporter, CancellationToken cancellationToken) =>
                TypedResults.Text(await exporter.CollectAsync(cancellationToken), PrometheusExporter.ContentType))
            .WithName("Metrics")
            .WithTags("Operations")
            .WithSummary("Prometheus metrics (text exposition format 0.0.4).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .DisableRateLimiting();
        return app;
    }
}
