namespace Appraise.Api.Reports;

/// <summary>A produced report, ready to be stored.</summary>
public sealed record CompletedJob(ReportJob Job, ReportExplanation Explanation, DateTimeOffset CompletedAt);
