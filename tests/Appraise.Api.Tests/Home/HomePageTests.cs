using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Home;

/// <summary>/ is a page for a browser and the JSON greeting for every other client (curl, the seeds' tests).</summary>
public sealed class HomePageTests
{
    private static HttpRequestMessage Get(string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Fact]
    public async Task ABrowserGetsThePageUnderAStrictContentSecurityPolicyWithNoExternalAsset()
    {
        await using var app = new AppraiseApplication();

        var response = await app.CreateClient().SendAsync(Get("/", BrowserAccept));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/metrics\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/version\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("text/html;q=0, application/json")]
    public async Task EveryOtherClientGetsTheJsonGreeting(string accept)
    {
        await using var app = new AppraiseApplication();

        var response = await app.CreateClient().SendAsync(Get("/", accept));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello World", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]);
    }

    [Fact]
    public async Task TheAssetsAreServedFromTheBuildWithTheirContentTypes()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient();

        var script = await client.GetAsync("/assets/home.js");
        var style = await client.GetAsync("/assets/home.css");
        var missing = await client.GetAsync("/assets/index.html");

        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/v1/explanation", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        await ProblemAssert.Problem(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TurnedOffTheBrowserGetsJsonAndTheAssetsAreGone()
    {
        await using var app = new AppraiseApplication(new() { ["Home:Enabled"] = "false" });
        var client = app.CreateClient();

        var response = await client.SendAsync(Get("/", BrowserAccept));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/home.js")).StatusCode);
    }
}
