namespace Appraise.Api.Reports;

/// <summary>A claimed job: the lease belongs to <see cref="LeaseOwner"/> until it expires.</summary>
public sealed record ReportJob(string ReportId, double[] Features, DateTimeOffset CreatedAt, int Attempt, string LeaseOwner);
