using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Hosting;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto, believed only from the configured proxies. ASP.NET
/// Core's own <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> clears its known proxies, and
/// with no known proxy its middleware believes every peer; here, with none configured, the
/// headers are ignored whatever that variable says.
/// </summary>
public static partial class ForwardedHeadersSetup
{
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        // Post-configured, so it runs after the framework's own FORWARDEDHEADERS_ENABLED setup.
        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }
            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
            }
            var trusted = options.KnownProxies.Count + options.KnownIPNetworks.Count > 0;
            options.ForwardedHeaders = trusted ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            // Walk back through every trusted hop (load balancer, then ingress) to the client.
            options.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>
    /// Applies the headers when proxies are configured. With ASPNETCORE_FORWARDEDHEADERS_ENABLED
    /// the framework has already put the same middleware first; it is not added twice.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        var trusted = settings.KnownProxies.Count + settings.KnownNetworks.Count > 0;
        var enabledByFramework = string.Equals(app.Configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);
        if (trusted && !enabledByFramework)
        {
            app.UseForwardedHeaders();
        }
        if (!trusted && enabledByFramework)
        {
            LogNoTrustedProxy(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ForwardedHeadersSetup).FullName!));
        }
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ASPNETCORE_FORWARDEDHEADERS_ENABLED is true but no proxy is trusted, so X-Forwarded-* headers are ignored: set ForwardedHeaders__KnownNetworks__0 (or KnownProxies) to your ingress or pod range")]
    private static partial void LogNoTrustedProxy(ILogger logger);
}
