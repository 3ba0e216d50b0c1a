namespace Appraise.Api.Predictions;

/// <summary>A prediction (in the target's unit), and the report queued for it when one was asked for.</summary>
public sealed record PredictionResponse(
    long EventId,
    FeatureValues InputValue,
    double PredictedValue,
    bool ReportGenerated,
    string? ReportId,
    string ModelVersion);
