using System.Net;
using System.Net.Sockets;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

/// <summary>
/// Where the service listens follows the ASP.NET Core conventions, through a real process: the
/// standard variables, --urls and Urls; port 8080 on IPv6 and IPv4 only when none is set.
/// </summary>
public sealed class ListeningTests
{
    private static string[] ListeningOn(ServiceProcess service) =>
        [.. service.Output.Split('\n').Where(l => l.Contains("Now listening on: ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("Now listening on: ", StringComparison.Ordinal) + 18)..].Split('"')[0])];

    private static async Task<HttpStatusCode> Hello(Uri address)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return (await client.GetAsync(new Uri(address, "/helloworld"))).StatusCode;
    }

    [Fact]
    public async Task AspNetCoreUrlsIsHonoured()
    {
        var port = ServiceProcess.FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port}");
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync(new() { ["ASPNETCORE_URLS"] = address.ToString() }, address);

        Assert.Equal([$"http://127.0.0.1:{port}"], ListeningOn(service));
        Assert.Equal(HttpStatusCode.OK, await Hello(address));
    }

    [Fact]
    public async Task AspNetCoreHttpPortsListensOnEveryAddressIPv6AndIPv4()
    {
        var port = ServiceProcess.FreeLoopbackPort();
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync(
            new() { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, new Uri($"http://127.0.0.1:{port}"));

        Assert.Equal([$"http://[::]:{port}"], ListeningOn(service));
        Assert.Equal(HttpStatusCode.OK, await Hello(new Uri($"http://127.0.0.1:{port}")));
        Assert.Equal(HttpStatusCode.OK, await Hello(new Uri($"http://[::1]:{port}")));
    }

    [Fact]
    public async Task TheUrlsCommandLineArgumentIsHonoured()
    {
        var address = new Uri($"http://127.0.0.1:{ServiceProcess.FreeLoopbackPort()}");
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync([], address, "--urls", address.ToString());

        Assert.Equal([address.ToString().TrimEnd('/')], ListeningOn(service));
    }

    [Fact]
    public async Task TheUrlsSettingIsHonouredAndWinsOverHttpPorts()
    {
        var address = new Uri($"http://127.0.0.1:{ServiceProcess.FreeLoopbackPort()}");
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync(
            new() { ["Urls"] = address.ToString(), ["ASPNETCORE_HTTP_PORTS"] = "1" }, address);

        Assert.Equal([address.ToString().TrimEnd('/')], ListeningOn(service));
    }

    [Fact]
    public async Task WithNothingSetItListensOnPort8080OnIPv6AndIPv4()
    {
        using (var probe = new TcpListener(IPAddress.IPv6Any, 8080) { Server = { DualMode = true } })
        {
            // The default needs the port; say so plainly rather than fail obscurely.
            probe.Start();
        }
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync([], new Uri("http://127.0.0.1:8080"));

        Assert.Equal(["http://[::]:8080"], ListeningOn(service));
        Assert.Equal(HttpStatusCode.OK, await Hello(new Uri("http://[::1]:8080")));
    }

    /// <summary>A request over plaintext HTTP/2 with prior knowledge, as gRPC clients make them.</summary>
    private static async Task<HttpStatusCode> OverHttp2(Uri address)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/v2/health/live"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return (await client.SendAsync(request)).StatusCode;
    }

    private static Dictionary<string, string?> Grpc(int port, params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string?> { ["Grpc__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }
        return environment;
    }

    [Fact]
    public async Task GrpcListensOnItsOwnHttp2PortOnTheHttpPortsHost()
    {
        var (port, grpc) = (ServiceProcess.FreeLoopbackPort(), ServiceProcess.FreeLoopbackPort());
        var address = new Uri($"http://127.0.0.1:{port}");
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync(Grpc(grpc, ("ASPNETCORE_URLS", address.ToString())), address);

        Assert.Equal([$"http://127.0.0.1:{port}", $"http://127.0.0.1:{grpc}"], ListeningOn(service));
        Assert.Equal(HttpStatusCode.OK, await OverHttp2(new Uri($"http://127.0.0.1:{grpc}")));
        // HTTP/2 only: Kestrel answers an HTTP/1.1 request there with 400, and the HTTP port refuses HTTP/2 without TLS.
        Assert.Equal(HttpStatusCode.BadRequest, await Hello(new Uri($"http://127.0.0.1:{grpc}")));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => OverHttp2(address));
    }

    [Fact]
    public async Task GrpcJoinsHttpPortsOnEveryAddress()
    {
        var (port, grpc) = (ServiceProcess.FreeLoopbackPort(), ServiceProcess.FreeLoopbackPort());
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync(
            Grpc(grpc, ("ASPNETCORE_HTTP_PORTS", port.ToString(System.Globalization.CultureInfo.InvariantCulture))), new Uri($"http://127.0.0.1:{port}"));

        Assert.Equal([$"http://[::]:{port}", $"http://[::]:{grpc}"], ListeningOn(service));
        Assert.Equal(HttpStatusCode.OK, await OverHttp2(new Uri($"http://[::1]:{grpc}")));
        Assert.DoesNotContain("Overriding", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcListensBesideKestrelEndpointsFromConfiguration()
    {
        var (port, grpc) = (ServiceProcess.FreeLoopbackPort(), ServiceProcess.FreeLoopbackPort());
        var address = new Uri($"http://127.0.0.1:{port}");
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync(Grpc(grpc, ("Kestrel__Endpoints__Http__Url", address.ToString())), address);

        Assert.Equal(HttpStatusCode.OK, await Hello(address));
        Assert.Equal(HttpStatusCode.OK, await OverHttp2(new Uri($"http://127.0.0.1:{grpc}")));
    }

    [Fact]
    public async Task GrpcOnTheHttpPortIsRefusedAtStartAndPortZeroTurnsItOff()
    {
        var port = ServiceProcess.FreeLoopbackPort();
        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync(Grpc(port), port);
        var address = new Uri($"http://127.0.0.1:{ServiceProcess.FreeLoopbackPort()}");
        await using var off = await ServiceProcess.StartListeningAsUsersDoAsync(Grpc(0, ("ASPNETCORE_URLS", address.ToString())), address);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Grpc:Port {port} is also an HTTP port", output, StringComparison.Ordinal);
        Assert.Equal([address.ToString().TrimEnd('/')], ListeningOn(off));
    }
}
