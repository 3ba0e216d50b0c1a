namespace Appraise.Api.Security;

/// <summary>API keys and admin keys (configuration section "Auth").</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";

    /// <summary>Keys from configuration: <c>Auth__ApiKeys__0</c>, <c>Auth__ApiKeys__1</c>, ...</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>
    /// A directory of key files (a mounted Kubernetes secret): every regular file holds one key.
    /// Re-read every <see cref="RefreshInterval"/>, so keys rotate without a restart.
    /// </summary>
    public string? KeyDirectory { get; set; }

    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Admin keys, for the model repository API (load and unload change what is served): kept
    /// apart from the API keys, which cannot use that API. <c>Auth__AdminKeys__0</c>, ...
    /// </summary>
    public List<string> AdminKeys { get; set; } = [];

    /// <summary>A directory of admin key files (a mounted Secret), re-read like <see cref="KeyDirectory"/>.</summary>
    public string? AdminKeyDirectory { get; set; }
}
