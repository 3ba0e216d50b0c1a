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

/// <summary>Ready only with a model that answers.</summary>
public sealed class ModelHealthCheck(HousingModel model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(double.IsFinite(model.Baseline)
            ? HealthCheckResult.Healthy($"Model {model.Version} loaded ({model.TreeCount} trees).")
            : HealthCheckResult.Unhealthy("The model gives no finite prediction."));
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
