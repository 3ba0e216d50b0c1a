using Appraise.Api.Metrics;

namespace Appraise.Api.Security;

/// <summary>
/// The key check of the Open Inference Protocol's routes: the same headers as the seed
/// endpoints (X-Api-Key or api-key), but the protocol's own error: 401 with <c>{"error": ...}</c>.
/// </summary>
public static class ProtocolKeyFilter
{
    /// <summary>An API key for inference.</summary>
    public static TBuilder RequireInferenceKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .WithMetadata(ApiKeyRequirement.Instance)
            .AddEndpointFilterFactory((context, next) =>
            {
                var ring = context.ApplicationServices.GetRequiredService<ApiKeyRing>();
                var metrics = context.ApplicationServices.GetRequiredService<AppraiseMetrics>();
                return invocation => Check(invocation, next, ring, metrics, "an API key");
            });

    /// <summary>An admin key, for the repository API.</summary>
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .WithMetadata(AdminKeyRequirement.Instance)
            .AddEndpointFilterFactory((context, next) =>
            {
                var ring = context.ApplicationServices.GetRequiredService<AdminKeyRing>().Keys;
                var metrics = context.ApplicationServices.GetRequiredService<AppraiseMetrics>();
                return invocation => Check(invocation, next, ring, metrics, "an admin key");
            });

    private static ValueTask<object?> Check(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, ApiKeyRing ring, AppraiseMetrics metrics, string what)
    {
        var headers = invocation.HttpContext.Request.Headers;
        var presented = headers.TryGetValue(ApiKeyEndpointFilter.HeaderName, out var key) ? key : headers[ApiKeyEndpointFilter.AlternateHeaderName];
        if (presented.Count == 1 && ring.IsValid(presented[0]))
        {
            return next(invocation);
        }
        metrics.InvalidApiKey();
        return ValueTask.FromResult<object?>(OpenInference.InferenceException.Result(StatusCodes.Status401Unauthorized,
            $"A missing or wrong key: this route needs {what} in the {ApiKeyEndpointFilter.HeaderName} header."));
    }
}
