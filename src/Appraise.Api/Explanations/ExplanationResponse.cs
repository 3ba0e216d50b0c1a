using Appraise.Api.Predictions;
using Appraise.Api.Reports;

namespace Appraise.Api.Explanations;

/// <summary>A prediction with its explanation: baseline plus the contributions is the prediction (in the target's unit).</summary>
public sealed record ExplanationResponse(
    FeatureValues InputValue,
    double PredictedValue,
    double Baseline,
    FeatureContribution[] Contributions,
    string ModelVersion);
