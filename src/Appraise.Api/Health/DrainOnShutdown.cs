using Microsoft.Extensions.Options;

namespace Appraise.Api.Health;

/// <summary>
/// Runs before the server stops: readiness turns 503 at once, then the server keeps serving for
/// the drain delay so the load balancer can take this instance out before connections close.
/// The host calls it first among the stopping steps (they run in reverse registration order and
/// the health checks are registered after the other lifecycle services), before any await, so
/// readiness is off by the time StopAsync returns its task.
/// </summary>
public sealed partial class DrainOnShutdown(ShutdownState state, IOptions<ShutdownOptions> options, ILogger<DrainOnShutdown> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!state.BeginDraining())
        {
            // Stopped a second time (test hosts are, on disposal): the load balancer had its
            // delay the first time, so this stop goes on at once.
            return;
        }
        LogDraining(options.Value.DrainDelay.TotalSeconds);
        try
        {
            await Task.Delay(options.Value.DrainDelay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out first; stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown requested: not ready, draining for {DrainSeconds} s")]
    private partial void LogDraining(double drainSeconds);
}
