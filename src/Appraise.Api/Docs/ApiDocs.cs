using Microsoft.OpenApi;

namespace Appraise.Api.Docs;

/// <summary>The OpenAPI document at /openapi/v1.json and Swagger UI at /docs, assets served locally.</summary>
public static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "appraise",
                    Version = "v1",
                    Description = "House-price predictions from a gradient-boosted model of the Boston housing data, with durable explanation reports.",
                };
                // Relative: clients resolve it against wherever they fetched the document, and no
                // request header (Host, X-Forwarded-Proto) can put another address into it.
                document.Servers = [new OpenApiServer { Url = "/" }];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<OpenApiExamples>();
        });

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").DisableRateLimiting();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "appraise API";
            ui.SwaggerEndpoint("/openapi/v1.json", "appraise v1");
        });
        app.MapGet("/api/v1/docs", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        return app;
    }
}
