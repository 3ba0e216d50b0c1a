namespace Appraise.Api.Health;

/// <summary>Graceful shutdown (configuration section "Shutdown").</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>After SIGTERM, how long /readyz answers 503 while requests are still served, so load balancers stop routing here first.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The whole shutdown, drain included, must end within this; the chart's grace period covers it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);
}
