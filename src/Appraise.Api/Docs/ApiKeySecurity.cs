using Appraise.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Appraise.Api.Docs;

/// <summary>
/// Declares the API key as an OpenAPI security scheme and puts it on every endpoint that checks
/// it (<see cref="ApiKeyRequirement"/>), so Swagger UI shows Authorize and sends the header and
/// generated clients know the key exists. Every other operation says explicitly that it needs
/// none.
/// </summary>
public sealed class ApiKeySecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyEndpointFilter.HeaderName,
            Description = $"An API key in the {ApiKeyEndpointFilter.HeaderName} header ({ApiKeyEndpointFilter.AlternateHeaderName} is accepted too, " +
                "as the original service's clients send it). A missing or wrong key is answered with 418 and " +
                "{\"message\":\"InvalidSecretKeyError: X-Api-Key invalid\"}.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var protectedByKey = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyRequirement>().Any();
        operation.Security = protectedByKey
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }]
            : [];
        if (protectedByKey && operation.Responses?.TryGetValue("418", out var teapot) == true && teapot is OpenApiResponse response)
        {
            response.Description = "The API key is missing or wrong (the original service's answer, which its operators alert on).";
        }
        return Task.CompletedTask;
    }
}
