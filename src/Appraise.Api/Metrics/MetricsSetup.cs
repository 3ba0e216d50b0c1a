using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Appraise.Api.Metrics;

/// <summary>
/// The service's meters (ASP.NET Core, Kestrel, rate limiting, the runtime and appraise's own)
/// aggregated by the OpenTelemetry SDK and exposed by its Prometheus exporter. The instruments
/// are created before the server starts, so no measurement is missed.
/// </summary>
public static class MetricsSetup
{
    public static readonly string[] MeterNames =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Runtime",
        AppraiseMetrics.MeterName,
        ProcessMetrics.MeterName,
    ];

    // Seconds: fine enough below a millisecond, where this service answers, and up to 10 s.
    private static readonly double[] LatencyBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static IServiceCollection AddAppraiseMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<AppraiseMetrics>();
        services.AddSingleton<ProcessMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(MeterNames).AddPrometheusExporter(prometheus =>
            {
                // Series as Prometheus users and our dashboards know them: no otel_scope_* labels
                // on every series, no target_info (the pod's labels say where it runs).
                prometheus.ScopeInfoEnabled = false;
                prometheus.TargetInfoEnabled = false;
                // Every scrape sees now: Prometheus scrapes every 15 s or more, and a cached answer
                // (300 ms by default) only hides what just happened. Scrapes still take turns.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            });
            ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
                builder.AddView(instrument => StreamFor(instrument, provider.GetRequiredService<IMeterFactory>())));
        });
        services.AddHostedService<MetricsStart>();
        return services;
    }

    // The runtime declares these as ObservableCounter although they go up and down: as counters
    // they would be exported as *_total, which rate() misreads. ProcessMetrics publishes both as gauges.
    private static readonly string[] RuntimeGaugesDeclaredAsCounters = ["dotnet.thread_pool.thread.count", "dotnet.thread_pool.queue.length"];

    /// <summary>
    /// Only this host's meters (tests run several hosts in one process, and a meter is found by
    /// name) plus the runtime's process-wide one; latency histograms get buckets below a
    /// millisecond; gauges named *.count become *.current ("_count" is a histogram's series in
    /// Prometheus, and promtool refuses it elsewhere).
    /// </summary>
    private static MetricStreamConfiguration? StreamFor(Instrument instrument, IMeterFactory meterFactory)
    {
        if (instrument.Meter.Scope is not null && !ReferenceEquals(instrument.Meter.Scope, meterFactory))
        {
            return MetricStreamConfiguration.Drop;
        }
        if (instrument.Meter.Name == "System.Runtime" && RuntimeGaugesDeclaredAsCounters.Contains(instrument.Name, StringComparer.Ordinal))
        {
            return MetricStreamConfiguration.Drop;
        }
        var kind = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        if (kind == typeof(Histogram<>) && instrument.Unit == "s")
        {
            return new ExplicitBucketHistogramConfiguration { Boundaries = LatencyBounds };
        }
        var isGauge = kind == typeof(ObservableGauge<>) || kind == typeof(Gauge<>) || kind == typeof(UpDownCounter<>) || kind == typeof(ObservableUpDownCounter<>);
        return isGauge && instrument.Name.EndsWith(".count", StringComparison.Ordinal)
            ? new MetricStreamConfiguration { Name = string.Concat(instrument.Name.AsSpan(0, instrument.Name.Length - ".count".Length), ".current") }
            : null;
    }

    private sealed class MetricsStart(IServiceProvider services) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<MeterProvider>();
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
