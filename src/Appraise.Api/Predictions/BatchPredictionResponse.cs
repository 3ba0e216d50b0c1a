namespace Appraise.Api.Predictions;

/// <summary>POST /predict answer: one prediction per row, in row order.</summary>
public sealed record BatchPredictionResponse(double[] Prediction);
