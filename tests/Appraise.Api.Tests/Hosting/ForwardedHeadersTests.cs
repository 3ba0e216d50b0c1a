using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

/// <summary>
/// X-Forwarded-For decides which rate-limit bucket a request falls in, so it must be believed
/// only from a configured proxy. Through a real process: the peer is 127.0.0.1 either way.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static readonly Dictionary<string, string?> OneRequestASecond = new()
    {
        ["RateLimiting__PermitsPerSecond"] = "1",
        ["RateLimiting__Burst"] = "1",
    };

    private static async Task<List<HttpStatusCode>> FromSixClaimedClients(ServiceProcess service)
    {
        using var client = service.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = AppraiseApplication.Json(Samples.PandasOneRow) };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        return statuses;
    }

    [Fact]
    public async Task SpoofedForwardedForFromAnUntrustedPeerChangesNothingEvenWithForwardedHeadersEnabled()
    {
        await using var service = await ServiceProcess.StartAsync(new(OneRequestASecond) { ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true" });

        var statuses = await FromSixClaimedClients(service);

        // Six "clients" are one peer, 127.0.0.1, with one token a second: most are refused.
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Contains("no proxy is trusted", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedForFromATrustedProxyGivesEachClientItsOwnLimit()
    {
        await using var service = await ServiceProcess.StartAsync(new(OneRequestASecond) { ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1" });

        var statuses = await FromSixClaimedClients(service);

        // Six clients behind the proxy, a full bucket each.
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task ATrustedNetworkIsAsGoodAsANamedProxy()
    {
        await using var service = await ServiceProcess.StartAsync(new(OneRequestASecond) { ["ForwardedHeaders__KnownNetworks__0"] = "127.0.0.0/8" });

        Assert.All(await FromSixClaimedClients(service), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task NoHeaderCanPutAnotherAddressIntoTheOpenApiDocument()
    {
        await using var service = await ServiceProcess.StartAsync(new() { ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1" });
        using var client = service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Proto", "javascript");
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        var document = JsonNode.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync())!;

        Assert.Equal("/", (string?)document["servers"]![0]!["url"]);
        Assert.Single(document["servers"]!.AsArray());
    }
}
