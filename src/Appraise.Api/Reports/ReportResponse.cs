using Appraise.Api.Predictions;

namespace Appraise.Api.Reports;

/// <summary>A report as the API shows it; contributions and baseline appear once it is completed.</summary>
public sealed record ReportResponse(
    string ReportId,
    long EventId,
    string State,
    FeatureValues? InputValue,
    double PredictedValue,
    string ModelVersion,
    double? Baseline,
    FeatureContribution[]? Contributions,
    string? Error,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    /// <summary>The report with its columns named by <paramref name="names"/> (its model's), or without them when they do not fit.</summary>
    public static ReportResponse From(Report report, IReadOnlyList<string>? names) => new(
        report.Id,
        report.EventId,
        ReportStates.Name(report.State),
        names is not null && report.Features.Length == names.Count ? new FeatureValues(names, report.Features) : null,
        report.PredictedValue,
        report.ModelVersion,
        report.Explanation?.Baseline,
        report.Explanation is { } explanation && names is not null && report.Features.Length == names.Count && explanation.Contributions.Length == names.Count
            ? [.. names.Select((name, i) => new FeatureContribution(name, report.Features[i], explanation.Contributions[i]))]
            : null,
        report.Error,
        report.Attempts,
        report.CreatedAt,
        report.CompletedAt);
}

/// <summary>How far one feature moved the prediction from the model's baseline, in the target's unit.</summary>
public sealed record FeatureContribution(string Feature, double Value, double Contribution);
