namespace Appraise.Api.Health;

/// <summary>
/// <c>Appraise.Api healthcheck [URL]</c>: probes a running instance (by default this container's
/// own /healthz) and exits 0 when it answers 2xx, 1 otherwise. Lets the image's HEALTHCHECK,
/// compose and the Helm test work without curl or a shell.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }

    /// <summary>This container's own /healthz, found the way Kestrel found its address: ASPNETCORE_URLS first, then ASPNETCORE_HTTP_PORTS, then 8080.</summary>
    internal static string DefaultUrl()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
        if (!string.IsNullOrWhiteSpace(urls))
        {
            // "http://+:9000", "http://*:9000" and "http://[::]:9000" are not URIs a client can use; the port is what matters.
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            var port = first[(first.LastIndexOf(':') + 1)..].TrimEnd('/');
            var scheme = first.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
            return $"{scheme}://127.0.0.1:{port}/healthz";
        }
        var httpPort = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split([';', ','])[0].Trim();
        return $"http://127.0.0.1:{httpPort}/healthz";
    }
}
