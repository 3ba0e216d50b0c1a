using OpenTelemetry.Trace;

namespace Appraise.Api.Observability;

/// <summary>Creates the tracer provider at start (so it listens from the first request) and flushes it at stop.</summary>
public sealed class TracingLifetime(TracerProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        provider.ForceFlush(5000);
        return Task.CompletedTask;
    }
}
