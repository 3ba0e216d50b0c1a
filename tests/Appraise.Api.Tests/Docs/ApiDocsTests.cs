using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Docs;

public sealed class ApiDocsTests
{
    [Fact]
    public async Task OpenApiDocumentsEveryEndpointWithExamples()
    {
        await using var app = new AppraiseApplication();
        var document = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var path in new[] { "/", "/helloworld", "/test", "/api/v1/hello", "/api/v1/prediction", "/predict", "/api/v1/reports/{id}", "/healthz", "/readyz", "/version", "/metrics" })
        {
            Assert.Contains(path, paths);
        }
        var predict = document["paths"]!["/api/v1/prediction"]!["post"]!;
        Assert.NotNull(predict["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.Equal(1, (int)predict["requestBody"]!["content"]!["application/json"]!["example"]!["event_id"]!);
        Assert.NotNull(predict["responses"]!["200"]!["content"]!["application/json"]!["example"]);
        Assert.NotNull(predict["responses"]!["418"]);
        Assert.NotNull(predict["responses"]!["422"]);
        Assert.NotNull(document["paths"]!["/predict"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]);
    }

    [Fact]
    public async Task SwaggerUiIsServedLocallyAndTheOldPathRedirects()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/swagger-ui-bundle.js")).StatusCode);

        var redirect = await client.GetAsync("/api/v1/docs");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/docs", redirect.Headers.Location?.ToString());
    }
}
