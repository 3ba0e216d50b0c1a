using Microsoft.Extensions.Options;

namespace Appraise.Api.Security;

/// <summary>
/// Outside Development the service refuses to start without at least one API key; the repository
/// API, when on, needs admin keys, and no admin key may also be an API key.
/// </summary>
public sealed class ApiKeyOptionsValidator(IHostEnvironment environment, IOptions<Model.ModelOptions> models) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.AdminKeyDirectory) && !Directory.Exists(options.AdminKeyDirectory))
        {
            return ValidateOptionsResult.Fail($"Auth:AdminKeyDirectory '{options.AdminKeyDirectory}' does not exist.");
        }
        var admin = ApiKeySources.ReadAdmin(options).Select(k => k.Trim()).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (models.Value.RepositoryApi && admin.Count == 0)
        {
            return ValidateOptionsResult.Fail("Model:RepositoryApi is on but no admin key is configured: set Auth__AdminKeys__0 or Auth__AdminKeyDirectory (a key apart from the API keys).");
        }
        if (ApiKeySources.Read(options).Any(k => admin.Contains(k.Trim())))
        {
            return ValidateOptionsResult.Fail("An admin key is also an API key: the repository API needs keys of its own, so that a client's key cannot change what is served.");
        }
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
