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
}
