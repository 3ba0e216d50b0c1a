namespace Appraise.Api.Reports;

/// <summary>A report as stored.</summary>
public sealed record Report(
    string Id,
    long EventId,
    ReportState State,
    double[] Features,
    double PredictedValue,
    string ModelVersion,
    ReportExplanation? Explanation,
    string? Error,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);
