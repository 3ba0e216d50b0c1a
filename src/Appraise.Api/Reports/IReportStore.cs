using Appraise.Api.Metrics;

namespace Appraise.Api.Reports;

/// <summary>
/// Durable reports and their jobs. Everything a caller has been told was accepted is on disk;
/// a job is held by one worker at a time through an expiring lease.
/// </summary>
public interface IReportStore
{
    /// <summary>Creates or upgrades the schema; safe to call from many processes at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Records the report and its job in one transaction.</summary>
    Task EnqueueAsync(NewReport report, CancellationToken cancellationToken);

    Task<Report?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Claims the oldest job that is due and not leased (or whose lease expired), or null.</summary>
    Task<ReportJob?> ClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Stores the finished report; returns false when it was already finished (completion is idempotent).</summary>
    Task<bool> CompleteAsync(ReportJob job, ReportExplanation explanation, DateTimeOffset completedAt, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: retried at <paramref name="retryAt"/>, or failed for good when it is null.</summary>
    Task FailAsync(ReportJob job, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken);

    Task<ReportQueueSnapshot> GetQueueAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
