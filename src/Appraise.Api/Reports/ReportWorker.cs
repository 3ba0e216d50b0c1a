using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>
/// Claims report jobs one at a time and produces them. On shutdown it stops claiming and
/// finishes the job in hand; a job it never finishes returns to the queue when its lease expires.
/// </summary>
public sealed partial class ReportWorker(
    IReportStore store,
    HousingModel model,
    ReportQueueSignal signal,
    AppraiseMetrics metrics,
    IOptions<ReportsOptions> options,
    TimeProvider time,
    ILogger<ReportWorker> logger) : BackgroundService
{
    private readonly string _workerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var storeErrors = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            ReportJob? job;
            try
            {
                job = await store.ClaimAsync(_workerId, settings.Lease, stoppingToken);
                storeErrors = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store is down: back off (up to 30 s) and try again; jobs wait safely in the store.
                storeErrors++;
                LogClaimFailed(e.Message);
                await Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(storeErrors, 7)))), stoppingToken);
                continue;
            }
            if (job is null)
            {
                await WaitForWork(settings.PollInterval, stoppingToken);
                continue;
            }
            // The job in hand is finished even when shutdown begins meanwhile.
            await ProduceAsync(job, settings, CancellationToken.None);
        }
    }

    private async Task ProduceAsync(ReportJob job, ReportsOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            var contributions = new double[HousingFeatures.Count];
            model.Explain(job.Features, contributions);
            var completedAt = time.GetUtcNow();
            if (await store.CompleteAsync(job, new ReportExplanation(model.Baseline, contributions), completedAt, cancellationToken))
            {
                metrics.ReportJob("completed");
                metrics.ReportCompleted(completedAt - job.CreatedAt);
            }
        }
        catch (Exception e)
        {
            var final = job.Attempt >= settings.MaxAttempts;
            var retryAt = final ? (DateTimeOffset?)null : time.GetUtcNow() + (settings.RetryDelay * Math.Pow(2, job.Attempt - 1));
            LogAttemptFailed(job.ReportId, job.Attempt, final, e.Message);
            try
            {
                await store.FailAsync(job, e.Message, retryAt, cancellationToken);
                metrics.ReportJob(final ? "failed" : "retried");
            }
            catch (Exception storeError)
            {
                // Recording the failure failed too: the lease expires and another attempt follows.
                LogClaimFailed(storeError.Message);
            }
        }
    }

    private async Task WaitForWork(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        try
        {
            await signal.WaitAsync(pollInterval, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down; the loop condition ends the worker.
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report store unavailable to the worker: {Reason}")]
    private partial void LogClaimFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report {ReportId} attempt {Attempt} failed (final: {Final}): {Reason}")]
    private partial void LogAttemptFailed(string reportId, int attempt, bool final, string reason);
}
