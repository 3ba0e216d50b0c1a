using Appraise.Api.Model;
using Appraise.Api.Predictions;

namespace Appraise.Api.Reports;

/// <summary>A report as the API shows it; contributions and baseline appear once it is completed.</summary>
public sealed record ReportResponse(
    string ReportId,
    long EventId,
    string State,
    HousingPayload? InputValue,
    double PredictedValue,
    string ModelVersion,
    double? Baseline,
    FeatureContribution[]? Contributions,
    string? Error,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static ReportResponse From(Report report) => new(
        report.Id,
        report.EventId,
        ReportStates.Name(report.State),
        // A row written by another release may not hold six features; show it as unknown rather than fail.
        report.Features.Length == HousingFeatures.Count ? HousingPayload.From(report.Features) : null,
        report.PredictedValue,
        report.ModelVersion,
        report.Explanation?.Baseline,
        report.Explanation is { } explanation && report.Features.Length == HousingFeatures.Count && explanation.Contributions.Length == HousingFeatures.Count
            ? HousingFeatures.All.Select((f, i) => new FeatureContribution(f.Name, report.Features[i], explanation.Contributions[i])).ToArray()
            : null,
        report.Error,
        report.Attempts,
        report.CreatedAt,
        report.CompletedAt);
}

/// <summary>How far one feature moved the prediction from the model's baseline, in $1000s.</summary>
public sealed record FeatureContribution(string Feature, double Value, double Contribution);
