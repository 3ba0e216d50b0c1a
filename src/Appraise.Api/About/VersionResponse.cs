namespace Appraise.Api.About;

/// <summary>GET /version.</summary>
public sealed record VersionResponse(string Service, string Version, string Commit, string ModelVersion, string Dotnet);
