namespace Appraise.Api.Reports;

/// <summary>A claimed job: the lease belongs to <see cref="LeaseOwner"/> until it expires.</summary>
/// <remarks><see cref="ModelVersion"/> is the model that made the prediction ("name/version"); the report explains that one.</remarks>
public sealed record ReportJob(string ReportId, double[] Features, DateTimeOffset CreatedAt, int Attempt, string LeaseOwner, string ModelVersion);
