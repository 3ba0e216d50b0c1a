using Appraise.Api.Predictions;
using Appraise.Api.Reports;

namespace Appraise.Api.Explanations;

/// <summary>A prediction with its explanation: baseline plus the contributions is the prediction, in $1000s.</summary>
public sealed record ExplanationResponse(
    HousingPayload InputValue,
    double PredictedValue,
    double Baseline,
    FeatureContribution[] Contributions,
    string ModelVersion);
