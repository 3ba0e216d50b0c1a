namespace Appraise.Api.Predictions;

/// <summary>A prediction in $1000s, and the report queued for it when one was asked for.</summary>
public sealed record PredictionResponse(
    long EventId,
    HousingPayload InputValue,
    double PredictedValue,
    bool ReportGenerated,
    string? ReportId,
    string ModelVersion);
