namespace Appraise.Api.Predictions;

/// <summary>POST /api/v1/prediction/ body (documentation; the body is read by <see cref="PredictionRequestParser"/>).</summary>
public sealed record PredictionRequest(long EventId, FeatureValues Payload);
