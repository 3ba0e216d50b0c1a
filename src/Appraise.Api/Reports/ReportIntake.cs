using Appraise.Api.Metrics;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>
/// Accepts a report request: it is durably recorded before the caller hears back, and the
/// worker is woken. A store that cannot take it within the operation timeout means no report
/// (null), never a hang and never a report id for something that was not recorded.
/// </summary>
public sealed partial class ReportIntake(
    IReportStore store,
    ReportStoreStatus status,
    ReportQueueSignal signal,
    AppraiseMetrics metrics,
    IOptions<ReportsOptions> options,
    TimeProvider time,
    ILogger<ReportIntake> logger)
{
    public async Task<string?> AcceptAsync(Model.ServedModel model, long eventId, double[] features, double prediction, CancellationToken cancellationToken)
    {
        if (!status.IsInitialized)
        {
            // The schema is not in place yet (the database has not answered since start-up).
            return null;
        }
        var report = new NewReport(NewReport.NewId(), eventId, features, prediction, model.Label, time.GetUtcNow());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.OperationTimeout);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await store.EnqueueAsync(report, timeout.Token);
            metrics.StoreOperation("enqueue", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            status.MarkReachable();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            status.MarkUnreachable($"Recording a report failed: {e.Message}");
            LogEnqueueFailed(e.Message);
            return null;
        }
        metrics.ReportJob("accepted");
        signal.Notify();
        return report.Id;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Report could not be recorded: {Reason}")]
    private partial void LogEnqueueFailed(string reason);
}
