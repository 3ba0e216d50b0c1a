using Appraise.Api.Metrics;

namespace Appraise.Api.Reports;

/// <summary>Reads the queue's depth and age from the store every few seconds for /metrics, and so notices when the store goes away or comes back.</summary>
public sealed partial class ReportQueueMonitor(IReportStore store, ReportStoreStatus status, AppraiseMetrics metrics, ILogger<ReportQueueMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            if (!status.IsInitialized)
            {
                continue;
            }
            try
            {
                metrics.QueueObserved(await store.GetQueueAsync(stoppingToken));
                status.MarkReachable();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Also how the store-up metric learns of an outage while no request touches the store.
                status.MarkUnreachable($"Reading the queue failed: {e.Message}");
                LogObserveFailed(e.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Report queue could not be observed: {Reason}")]
    private partial void LogObserveFailed(string reason);
}
