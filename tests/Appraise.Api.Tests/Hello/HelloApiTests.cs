using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hello;

public sealed class HelloApiTests
{
    [Theory]
    [InlineData("/helloworld", """{"message":"Hello World"}""")]
    [InlineData("/test", """{"test":"test"}""")]
    [InlineData("/api/v1/hello", """{"message":"Hello World"}""")]
    [InlineData("/api/v1/hello/", """{"message":"Hello World"}""")]
    public async Task SeedEndpointsAnswerExactlyAsTheOriginals(string path, string expected)
    {
        await using var app = new AppraiseApplication();
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RootSaysHelloWorldAndNamesTheInstance()
    {
        await using var app = new AppraiseApplication();
        var body = JsonNode.Parse(await app.CreateClient().GetStringAsync("/"))!;

        Assert.Equal("Hello World", (string?)body["message"]);
        Assert.Equal("appraise", (string?)body["service"]);
        Assert.False(string.IsNullOrEmpty((string?)body["version"]));
        Assert.Equal(Environment.MachineName, (string?)body["hostname"]);
    }

    [Fact]
    public async Task VersionNamesServiceModelAndRuntime()
    {
        await using var app = new AppraiseApplication();
        var body = JsonNode.Parse(await app.CreateClient().GetStringAsync("/version"))!;

        Assert.Equal("appraise", (string?)body["service"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", (string?)body["version"]);
        Assert.False(string.IsNullOrEmpty((string?)body["commit"]));
        Assert.Equal("housing/1", (string?)body["model_version"]);
        Assert.StartsWith(".NET 10", (string?)body["dotnet"]);
    }

    [Fact]
    public async Task UnknownPathIsProblemDetails404()
    {
        await using var app = new AppraiseApplication();
        var response = await app.CreateClient().GetAsync("/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
