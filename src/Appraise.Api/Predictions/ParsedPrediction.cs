namespace Appraise.Api.Predictions;

/// <summary>A prediction request as read from the body; only usable when <see cref="Errors"/> is empty.</summary>
public sealed record ParsedPrediction(long EventId, double[] Features, ValidationErrors Errors);
