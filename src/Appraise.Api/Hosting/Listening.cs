namespace Appraise.Api.Hosting;

/// <summary>
/// Where Kestrel listens follows the ASP.NET Core conventions users, the official .NET images
/// and Azure App Service rely on: <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c> /
/// <c>ASPNETCORE_HTTPS_PORTS</c>, <c>--urls</c>, <c>Urls</c> or <c>Kestrel:Endpoints</c>. Only
/// when none of them is set does appraise listen on its own default, port 8080 on every
/// address, IPv6 and IPv4 (IPv6-only clusters exist).
/// </summary>
public static class Listening
{
    public const int DefaultPort = 8080;

    public static WebApplicationBuilder UseConventionalListening(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var chosen = !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!chosen)
        {
            // "*" is Kestrel's any-address wildcard: a dual-mode IPv6 socket that takes IPv4 too,
            // falling back to IPv4 only where the host has no IPv6.
            builder.WebHost.UseUrls($"http://*:{DefaultPort}");
        }
        return builder;
    }
}
