namespace Appraise.Api.Predictions;

/// <summary>POST /predict answer: one price in $1000s per row, in row order.</summary>
public sealed record BatchPredictionResponse(double[] Prediction);
