using Microsoft.AspNetCore.Server.Kestrel.Core;

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
        if (Urls(builder.Configuration) is null && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            // "*" is Kestrel's any-address wildcard: a dual-mode IPv6 socket that takes IPv4 too,
            // falling back to IPv4 only where the host has no IPv6.
            builder.WebHost.UseUrls($"http://*:{DefaultPort}");
        }
        return builder;
    }

    /// <summary>
    /// One more port, plaintext HTTP/2 only (gRPC), beside wherever the conventions above put the
    /// HTTP port. Kestrel binds either its URLs or endpoints given in code and configuration,
    /// never both: so with URLs the port joins them, made HTTP/2-only by the endpoint defaults,
    /// and with Kestrel:Endpoints it is added in code, which Kestrel binds with them.
    /// </summary>
    public static void AddHttp2Port(WebApplicationBuilder builder, int port)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port, listen => listen.Protocols = HttpProtocols.Http2));
            return;
        }
        var urls = Urls(configuration) ?? $"http://*:{DefaultPort}";
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (BindingAddress.Parse(url) is { IsUnixPipe: false } address && address.Port == port)
            {
                throw new ConfigurationException($"Grpc:Port {port} is also an HTTP port ({url}): give gRPC a port of its own, or 0 to turn it off.");
            }
        }
        // On the HTTP port's host: a service kept to loopback keeps gRPC there too.
        var first = BindingAddress.Parse(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]);
        var host = first.IsUnixPipe || first.IsNamedPipe ? "*" : first.Host;
        builder.WebHost.UseUrls($"{urls};http://{host}:{port}");
        // URLS now holds every address; the ports settings would only add a warning that they are overridden.
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == port)
            {
                listen.Protocols = HttpProtocols.Http2;
            }
        }));
    }

    /// <summary>The addresses the conventions give, as ASP.NET Core reads them: URLS first, else the HTTP and HTTPS ports.</summary>
    private static string? Urls(ConfigurationManager configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls && !string.IsNullOrWhiteSpace(urls))
        {
            return urls;
        }
        var ports = Ports(configuration[WebHostDefaults.HttpPortsKey], "http")
            .Concat(Ports(configuration[WebHostDefaults.HttpsPortsKey], "https")).ToList();
        return ports.Count > 0 ? string.Join(';', ports) : null;
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}");
}
