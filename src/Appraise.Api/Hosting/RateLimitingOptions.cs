using System.ComponentModel.DataAnnotations;

namespace Appraise.Api.Hosting;

/// <summary>Per-client token bucket on the API endpoints (configuration section "RateLimiting").</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second one client (IP address) may make.</summary>
    [Range(1, 10_000_000)]
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a client may make at once above the sustained rate.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 400;
}
