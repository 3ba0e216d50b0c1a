namespace Appraise.Api.Reports;

/// <summary>The model's baseline and how far each feature (in model order) moved the prediction from it.</summary>
public sealed record ReportExplanation(double Baseline, double[] Contributions);
