using Microsoft.OpenApi;

namespace Appraise.Api.Docs;

/// <summary>The OpenAPI document at /openapi/v1.json and Swagger UI at /docs, assets served locally.</summary>
public static class ApiDocs
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Hello"] = "The greetings every seed service answers, byte for byte.",
        ["Predictions"] = "Predictions from the default model (the seed contracts): one row with an optional report (API key), or a pandas DataFrame of up to 1000 rows (?model= picks another model).",
        ["Explanations"] = "A prediction with the reasons behind it, at once; stores nothing.",
        ["Reports"] = "Durable explanation reports, produced in the background and read back by id (API key).",
        ["Model"] = "The model card: version, holdout metrics, and every feature's meaning, unit, range and importance.",
        ["Operations"] = "Liveness, readiness, version and Prometheus metrics, for platforms and people on call.",
        [OpenInference.InferenceApi.Tag] = "KServe's Open Inference Protocol (v2): metadata, health and inference for every model of the repository, JSON or binary tensor data; errors are {\"error\": ...}. The same is served over gRPC on Grpc:Port.",
    };

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "appraise",
                    Version = "v1",
                    Description = "Predictions from tree-ensemble models (ONNX), over the seed services' endpoints and the Open Inference Protocol, with durable explanation reports.",
                    License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                };
                // Relative: clients resolve it against wherever they fetched the document, and no
                // request header (Host, X-Forwarded-Proto) can put another address into it.
                document.Servers = [new OpenApiServer { Url = "/" }];
                foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
                {
                    tag.Description = tag.Name is { } name ? TagDescriptions.GetValueOrDefault(name) : null;
                }
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<ApiKeySecurity>();
            options.AddOperationTransformer<ApiKeySecurity>();
            options.AddOperationTransformer<ReportFlagParameter>();
            options.AddOperationTransformer<OpenApiExamples>();
            options.AddSchemaTransformer<FeatureSchemas>();
        });

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").DisableRateLimiting();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "appraise API";
            ui.SwaggerEndpoint("/openapi/v1.json", "appraise v1");
            // The key typed into Authorize survives a reload of the page.
            ui.EnablePersistAuthorization();
        });
        app.MapGet("/api/v1/docs", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        return app;
    }
}
