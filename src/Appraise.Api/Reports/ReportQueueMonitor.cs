using Appraise.Api.Metrics;

namespace Appraise.Api.Reports;

/// <summary>Reads the queue's depth and age from the store every few seconds for /metrics.</summary>
public sealed partial class ReportQueueMonitor(IReportStore store, AppraiseMetrics metrics, ILogger<ReportQueueMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                metrics.QueueObserved(await store.GetQueueAsync(stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
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
