using System.Net;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Hosting;

/// <summary>Every trusted proxy must be an IP address and every network a CIDR range, or the service does not start.</summary>
public sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i].Trim(), out _))
            {
                problems.Add($"ForwardedHeaders:KnownProxies:{i} is '{options.KnownProxies[i]}'; it must be an IP address such as 10.0.0.5.");
            }
        }
        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i].Trim(), out _))
            {
                problems.Add($"ForwardedHeaders:KnownNetworks:{i} is '{options.KnownNetworks[i]}'; it must be a CIDR range such as 10.244.0.0/16.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
