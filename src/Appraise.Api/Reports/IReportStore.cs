using Appraise.Api.Metrics;

namespace Appraise.Api.Reports;

/// <summary>
/// Durable reports and their jobs. Everything a caller has been told was accepted is on disk;
/// a job is held by one worker at a time through an expiring lease, so a worker that dies
/// loses its jobs to another, and finishing a job is idempotent.
/// </summary>
public interface IReportStore
{
    /// <summary>Applies pending schema migrations; safe to call from many processes at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Records the report and its job in one transaction.</summary>
    Task EnqueueAsync(NewReport report, CancellationToken cancellationToken);

    Task<Report?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="maxJobs"/> due jobs that nobody holds (or whose lease expired),
    /// oldest first, for <paramref name="lease"/>; concurrent callers never get the same job.
    /// </summary>
    Task<IReadOnlyList<ReportJob>> ClaimAsync(string workerId, TimeSpan lease, int maxJobs, CancellationToken cancellationToken);

    /// <summary>
    /// Stores finished reports in one transaction and returns the ids this call finished; a report
    /// that was already finished is left as it was (completion is idempotent).
    /// </summary>
    Task<IReadOnlySet<string>> CompleteAsync(IReadOnlyList<CompletedJob> completed, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failed attempt by the job's current lease holder: retried at
    /// <paramref name="retryAt"/>, or failed for good when it is null. Ignored when the lease was lost.
    /// </summary>
    Task FailAsync(ReportJob job, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="maxReports"/> completed or failed reports finished before <paramref name="cutoff"/>.</summary>
    Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, int maxReports, CancellationToken cancellationToken);

    Task<ReportQueueSnapshot> GetQueueAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
