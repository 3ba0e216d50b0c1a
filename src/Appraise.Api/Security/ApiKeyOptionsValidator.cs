using Microsoft.Extensions.Options;

namespace Appraise.Api.Security;

/// <summary>Outside Development the service refuses to start without at least one API key.</summary>
public sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        if (options.RefreshInterval <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Auth:RefreshInterval must be positive.");
        }
        if (!string.IsNullOrWhiteSpace(options.KeyDirectory) && !Directory.Exists(options.KeyDirectory))
        {
            return ValidateOptionsResult.Fail($"Auth:KeyDirectory '{options.KeyDirectory}' does not exist.");
        }
        if (environment.IsDevelopment() || ApiKeySources.Read(options).Any(k => k.Trim().Length > 0))
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(
            $"No API key is configured, and the {environment.EnvironmentName} environment requires one. " +
            "Set Auth__ApiKeys__0 or mount key files and set Auth__KeyDirectory.");
    }
}
