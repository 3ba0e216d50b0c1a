namespace Appraise.Api.Reports;

/// <summary>The state names stored in both databases and shown by the API.</summary>
public static class ReportStates
{
    public static string Name(ReportState state) => state switch
    {
        ReportState.Queued => "queued",
        ReportState.Running => "running",
        ReportState.Completed => "completed",
        _ => "failed",
    };

    public static ReportState Parse(string state) => state switch
    {
        "queued" => ReportState.Queued,
        "running" => ReportState.Running,
        "completed" => ReportState.Completed,
        "failed" => ReportState.Failed,
        _ => throw new InvalidDataException($"Unknown report state '{state}'."),
    };
}
