using Microsoft.Extensions.Options;

namespace Appraise.Api.Health;

/// <summary>The drain delay must fit inside the shutdown timeout, or requests would be cut off mid-drain.</summary>
public sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(10))
        {
            return ValidateOptionsResult.Fail($"Shutdown:Timeout is {options.Timeout}; it must be between 1 second and 10 minutes.");
        }
        if (options.DrainDelay < TimeSpan.Zero || options.DrainDelay >= options.Timeout)
        {
            return ValidateOptionsResult.Fail($"Shutdown:DrainDelay is {options.DrainDelay}; it must be at least zero and shorter than Shutdown:Timeout ({options.Timeout}).");
        }
        return ValidateOptionsResult.Success;
    }
}
