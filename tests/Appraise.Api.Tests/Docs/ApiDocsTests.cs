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

    private static async Task<JsonNode> Document()
    {
        await using var app = new AppraiseApplication();
        return JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
    }

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (path.Key, op.Key, op.Value!)));

    [Fact]
    public async Task TheApiKeyIsASecuritySchemeOnExactlyTheOperationsThatCheckIt()
    {
        var document = await Document();

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", (string?)scheme["type"]);
        Assert.Equal("header", (string?)scheme["in"]);
        Assert.Equal("X-Api-Key", (string?)scheme["name"]);
        Assert.Contains("api-key", (string?)scheme["description"], StringComparison.Ordinal);
        var secured = Operations(document).Where(o => o.Operation["security"]!.AsArray().Count > 0).Select(o => (string)o.Operation["operationId"]!).Order().ToList();
        Assert.Equal(["GetReport", "GetReportChart", "Predict", "V2ModelInfer", "V2ModelInferVersion"], secured);
        foreach (var (path, _, operation) in Operations(document))
        {
            var security = operation["security"]!.AsArray();
            if (path.StartsWith("/v2", StringComparison.Ordinal))
            {
                // The Open Inference Protocol's routes answer a missing key with 401 and its own error shape.
                Assert.Null(operation["responses"]!["418"]);
                Assert.Equal(security.Count > 0, operation["responses"]!["401"] is not null);
            }
            else if (security.Count > 0)
            {
                Assert.NotNull(security[0]!["ApiKey"]);
                Assert.Equal("InvalidApiKeyResponse", ((string)operation["responses"]!["418"]!["content"]!["application/json"]!["schema"]!["$ref"]!).Split('/')[^1]);
            }
            else
            {
                Assert.Null(operation["responses"]!["418"]);
            }
        }
    }

    [Fact]
    public async Task GenerateReportIsABooleanWhoseAliasesAreDocumented()
    {
        var parameter = (await Document())["paths"]!["/api/v1/prediction"]!["post"]!["parameters"]!.AsArray().Single(p => (string)p!["name"]! == "generate_report")!;

        Assert.Equal("boolean", (string?)parameter["schema"]!["type"]);
        Assert.False((bool)parameter["schema"]!["default"]!);
        Assert.Contains("1/0, yes/no and on/off", (string?)parameter["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryClientErrorButTheTeapotIsProblemDetailsAndEveryBodyReadByHandHasASchema()
    {
        var document = await Document();

        foreach (var (path, method, operation) in Operations(document))
        {
            foreach (var (code, response) in operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')))
            {
                if (code == "418")
                {
                    continue;
                }
                if (path.StartsWith("/v2", StringComparison.Ordinal) && code != "429")
                {
                    // The Open Inference Protocol's own error shape, {"error": "..."}.
                    Assert.EndsWith("/ErrorResponse", (string?)response!["content"]?["application/json"]?["schema"]?["$ref"], StringComparison.Ordinal);
                    continue;
                }
                var schema = (string?)response!["content"]?["application/problem+json"]?["schema"]?["$ref"];
                Assert.True(schema is not null && (schema.EndsWith("/ProblemDetails", StringComparison.Ordinal) || schema.EndsWith("/HttpValidationProblemDetails", StringComparison.Ordinal)),
                    $"{method.ToUpperInvariant()} {path} {code} is not problem details");
            }
            // Repository load and unload read no body; every other POST has one.
            if (method == "post" && !path.StartsWith("/v2/repository/models/", StringComparison.Ordinal))
            {
                Assert.NotNull(operation["requestBody"]?["content"]?["application/json"]?["schema"]);
            }
        }
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
