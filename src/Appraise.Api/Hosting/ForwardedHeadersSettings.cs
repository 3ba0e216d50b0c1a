namespace Appraise.Api.Hosting;

/// <summary>
/// The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (configuration section
/// "ForwardedHeaders"): <c>ForwardedHeaders__KnownProxies__0=10.0.0.5</c>,
/// <c>ForwardedHeaders__KnownNetworks__0=10.244.0.0/16</c>. None by default: a client that
/// could name its own address could also escape its rate limit.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of proxies (ingress controllers, load balancers) in front of the service.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks, in CIDR notation, whose members are trusted proxies (the cluster's pod range).</summary>
    public List<string> KnownNetworks { get; set; } = [];
}
