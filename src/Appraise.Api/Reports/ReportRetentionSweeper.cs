using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>
/// Deletes finished reports older than the retention period, in small batches so no sweep
/// holds locks for long. Every replica sweeps; deleting what another already deleted is harmless.
/// </summary>
public sealed partial class ReportRetentionSweeper(
    IReportStore store, IOptions<ReportsOptions> options, TimeProvider time, ILogger<ReportRetentionSweeper> logger) : BackgroundService
{
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        var total = 0;
        try
        {
            int deleted;
            do
            {
                deleted = await store.DeleteFinishedBeforeAsync(cutoff, BatchSize, cancellationToken);
                total += deleted;
            }
            while (deleted == BatchSize && !cancellationToken.IsCancellationRequested);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e.Message);
        }
        if (total > 0)
        {
            LogSwept(total, cutoff);
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} reports finished before {Cutoff:o}")]
    private partial void LogSwept(int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed, will retry at the next interval: {Reason}")]
    private partial void LogSweepFailed(string reason);
}
