using Appraise.Api.Model;
using Appraise.Api.Reports;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Health;

/// <summary>Not ready once shutdown has begun.</summary>
public sealed class ShutdownHealthCheck(ShutdownState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining ? HealthCheckResult.Unhealthy("Shutting down.") : HealthCheckResult.Healthy("Serving."));
}

/// <summary>Ready only once the default model (the seed endpoints') is loaded; other models are ready per model (/v2).</summary>
public sealed class ModelHealthCheck(ModelRegistry models, ModelRepository repository) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(models.Default is { } model
            ? HealthCheckResult.Healthy($"Model {model.Label} loaded ({model.Ensemble.TreeCount} trees).")
            : HealthCheckResult.Unhealthy(repository.InitialLoadDone
                ? $"Model {models.DefaultName} is not loaded: the {repository.SourceDescription} does not offer it, or it failed to load (see the log)."
                : $"Model {models.DefaultName} is loading from the {repository.SourceDescription}."));
}

/// <summary>
/// The report store's state, as a degraded (never a failed) check: predictions need no database,
/// so an outage must not take the instance out of its Service. Report requests get 503 meanwhile.
/// </summary>
public sealed class ReportStoreHealthCheck(IReportStore store, ReportStoreStatus status, IOptions<ReportsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!status.IsInitialized)
        {
            return HealthCheckResult.Degraded($"Reports unavailable, predictions unaffected: {status.Problem} Retrying.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.OperationTimeout);
        try
        {
            await store.PingAsync(timeout.Token);
            status.MarkReachable();
            return HealthCheckResult.Healthy("Report store reachable.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            status.MarkUnreachable($"Report store unreachable: {e.Message}");
            return HealthCheckResult.Degraded($"Reports unavailable, predictions unaffected: report store unreachable: {e.Message}");
        }
    }
}
