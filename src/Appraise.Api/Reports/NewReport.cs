namespace Appraise.Api.Reports;

/// <summary>A report accepted with a prediction, to be recorded with its job before the client is answered.</summary>
public sealed record NewReport(string Id, long EventId, double[] Features, double PredictedValue, string ModelVersion, DateTimeOffset CreatedAt)
{
    /// <summary>Version 7 GUIDs sort by creation time, which keeps index inserts local.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("D");
}
