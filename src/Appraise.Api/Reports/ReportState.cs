namespace Appraise.Api.Reports;

/// <summary>Where a report is in its life: queued, running, then completed or failed.</summary>
public enum ReportState
{
    Queued,
    Running,
    Completed,
    Failed,
}
