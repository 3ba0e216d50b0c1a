namespace Appraise.Api.Health;

/// <summary>/healthz and /readyz body: overall status and each check's verdict.</summary>
public sealed record HealthResponse(string Status, Dictionary<string, HealthCheckEntry> Checks);

/// <summary>One check's verdict and reason.</summary>
public sealed record HealthCheckEntry(string Status, string? Description);
