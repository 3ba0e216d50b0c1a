using Microsoft.Extensions.Options;

namespace Appraise.Api.Security;

/// <summary>API keys: options validated at start, the key ring loaded at once, refreshed in the background.</summary>
public static class SecuritySetup
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var ring = new ApiKeyRing();
            ring.Replace(ApiKeySources.Read(sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value));
            return ring;
        });
        services.AddSingleton(sp =>
        {
            var admin = new AdminKeyRing();
            admin.Keys.Replace(ApiKeySources.ReadAdmin(sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value));
            return admin;
        });
        services.AddHostedService<ApiKeyRefresher>();
        return services;
    }
}
