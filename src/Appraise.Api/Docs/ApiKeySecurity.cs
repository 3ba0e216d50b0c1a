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

    public const string AdminSchemeName = "AdminKey";

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
                "{\"message\":\"InvalidSecretKeyError: X-Api-Key invalid\"} on the original routes, and with 401 and {\"error\": ...} " +
                "on the Open Inference Protocol's (/v2).",
        };
        // Declared only when the repository API is on: a scheme no operation uses is noise.
        if (!context.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Model.ModelOptions>>().Value.RepositoryApi)
        {
            return Task.CompletedTask;
        }
        document.Components.SecuritySchemes[AdminSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyEndpointFilter.HeaderName,
            Description = "An admin key (Auth:AdminKeys), for the model repository API only: API keys are refused there. " +
                "A missing or wrong key is answered with 401 and {\"error\": ...}.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var protectedByKey = metadata.OfType<ApiKeyRequirement>().Any();
        var scheme = metadata.OfType<AdminKeyRequirement>().Any() ? AdminSchemeName : protectedByKey ? SchemeName : null;
        operation.Security = scheme is not null
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }]
            : [];
        if (scheme is not null && operation.Responses?.TryGetValue("401", out var unauthorized) == true && unauthorized is OpenApiResponse answer)
        {
            answer.Description = "The key is missing or wrong: {\"error\": ...}, as the Open Inference Protocol answers errors.";
        }
        if (protectedByKey && operation.Responses?.TryGetValue("418", out var teapot) == true && teapot is OpenApiResponse response)
        {
            response.Description = "The API key is missing or wrong (the original service's answer, which its operators alert on).";
        }
        return Task.CompletedTask;
    }
}
