using System.Diagnostics;
using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>
/// Claims report jobs in batches and produces them. On shutdown it stops claiming and
/// finishes the jobs in hand; jobs it never finishes return to the queue when their lease
/// expires, and another worker (in this process or another replica) takes them.
/// </summary>
/// <remarks>
/// Under a backlog the worker keeps up with intake: a claim that comes back full doubles the next
/// one (up to <see cref="MaxBatchSize"/>), and the completion of one batch is still committing
/// while the next is claimed, so on SQLite both share one group commit instead of one each.
/// </remarks>
public sealed partial class ReportWorker(
    IReportStore store,
    ReportStoreStatus status,
    ModelRegistry models,
    ReportQueueSignal signal,
    AppraiseMetrics metrics,
    IOptions<ReportsOptions> options,
    TimeProvider time,
    ILogger<ReportWorker> logger) : BackgroundService
{
    /// <summary>The most jobs one claim takes when a backlog keeps every claim full.</summary>
    public const int MaxBatchSize = 256;

    private readonly string _workerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var storeErrors = 0;
        var batchSize = settings.BatchSize;
        try
        {
            await status.Initialized.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        // The completion of the previous batch, committing while the next batch is claimed.
        var completing = Task.CompletedTask;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                IReadOnlyList<ReportJob> jobs;
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    jobs = await store.ClaimAsync(_workerId, settings.Lease, batchSize, stoppingToken);
                    metrics.StoreOperation("claim", Stopwatch.GetElapsedTime(started));
                    storeErrors = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // The store is down: back off (up to 5 s) and try again; jobs wait safely in the store.
                    storeErrors++;
                    LogStoreUnavailable(e.Message);
                    await Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * Math.Pow(2, Math.Min(storeErrors, 6)))), stoppingToken);
                    continue;
                }
                batchSize = NextBatchSize(jobs.Count, batchSize, settings.BatchSize);
                if (jobs.Count == 0)
                {
                    await completing;
                    await WaitForWork(settings.PollInterval, stoppingToken);
                    continue;
                }
                var produced = await ProduceAsync(jobs, settings, CancellationToken.None);
                // One completion in flight at most: the next claim shares its commit.
                await completing;
                completing = CompleteAsync(produced, CancellationToken.None);
            }
        }
        finally
        {
            // Jobs in hand are finished even when shutdown begins meanwhile.
            await completing;
        }
    }

    /// <summary>A full claim doubles the next (up to <see cref="MaxBatchSize"/>, or the configured size if larger); any other starts over.</summary>
    private static int NextBatchSize(int claimed, int asked, int configured) =>
        claimed == asked ? Math.Min(asked * 2, Math.Max(MaxBatchSize, configured)) : configured;

    /// <summary>The explanation of every job; a job that cannot be explained is recorded as an attempt that failed.</summary>
    private async Task<List<CompletedJob>> ProduceAsync(IReadOnlyList<ReportJob> jobs, ReportsOptions settings, CancellationToken cancellationToken)
    {
        var produced = new List<CompletedJob>(jobs.Count);
        foreach (var job in jobs)
        {
            try
            {
                // The model version that made the prediction explains it: baseline plus contributions
                // must add up to the prediction the client was given.
                var model = ModelFor(job);
                var contributions = new double[model.Features.Count];
                model.Ensemble.Explain(job.Features, contributions);
                produced.Add(new CompletedJob(job, new ReportExplanation(model.Ensemble.Baseline, contributions), time.GetUtcNow()));
            }
            catch (Exception e)
            {
                await RecordFailureAsync(job, settings, e.Message, cancellationToken);
            }
        }
        return produced;
    }

    /// <summary>
    /// The served version a job's prediction came from. A job queued by a release before model
    /// versions (its label has no "/") is explained by the default model, as that release would have.
    /// </summary>
    private ServedModel ModelFor(ReportJob job)
    {
        var slash = job.ModelVersion.LastIndexOf('/');
        ServedModel? model;
        if (slash < 0)
        {
            model = models.Default;
        }
        else
        {
            model = long.TryParse(job.ModelVersion.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out var version)
                ? models.Find(job.ModelVersion[..slash], version)
                : null;
        }
        if (model is not { Ensemble.CanExplain: true })
        {
            throw new InvalidOperationException($"Model {job.ModelVersion}, which made this prediction, is not served (or does not explain), so it cannot be explained.");
        }
        return model.Features.Count == job.Features.Length
            ? model
            : throw new InvalidOperationException($"The report holds {job.Features.Length} values; model {model.Label} reads {model.Features.Count} values.");
    }

    private async Task CompleteAsync(List<CompletedJob> produced, CancellationToken cancellationToken)
    {
        if (produced.Count == 0)
        {
            return;
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            var finished = await store.CompleteAsync(produced, cancellationToken);
            metrics.StoreOperation("complete", Stopwatch.GetElapsedTime(started));
            foreach (var (job, _, completedAt) in produced)
            {
                var first = finished.Contains(job.ReportId);
                metrics.ReportJob(first ? "completed" : "duplicate");
                if (first)
                {
                    metrics.ReportCompleted(completedAt - job.CreatedAt);
                }
            }
        }
        catch (Exception e)
        {
            // Not recorded: the leases expire and the jobs are produced again (completion is idempotent).
            LogStoreUnavailable(e.Message);
        }
    }

    private async Task RecordFailureAsync(ReportJob job, ReportsOptions settings, string reason, CancellationToken cancellationToken)
    {
        var final = job.Attempt >= settings.MaxAttempts;
        var retryAt = final ? (DateTimeOffset?)null : time.GetUtcNow() + (settings.RetryDelay * Math.Pow(2, job.Attempt - 1));
        LogAttemptFailed(job.ReportId, job.Attempt, final, reason);
        try
        {
            await store.FailAsync(job, reason, retryAt, cancellationToken);
            metrics.ReportJob(final ? "failed" : "retried");
        }
        catch (Exception e)
        {
            // Recording the failure failed too: the lease expires and another attempt follows.
            LogStoreUnavailable(e.Message);
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
    private partial void LogStoreUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report {ReportId} attempt {Attempt} failed (final: {Final}): {Reason}")]
    private partial void LogAttemptFailed(string reportId, int attempt, bool final, string reason);
}
