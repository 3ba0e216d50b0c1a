namespace Appraise.Api.Metrics;

/// <summary>The exporter and instruments, created before the server starts so no measurement is missed.</summary>
public static class MetricsSetup
{
    public static IServiceCollection AddAppraiseMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<AppraiseMetrics>();
        services.AddSingleton<ProcessMetrics>();
        services.AddHostedService<MetricsStart>();
        return services;
    }

    private sealed class MetricsStart(IServiceProvider services) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<PrometheusExporter>();
            services.GetRequiredService<AppraiseMetrics>();
            services.GetRequiredService<ProcessMetrics>();
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
