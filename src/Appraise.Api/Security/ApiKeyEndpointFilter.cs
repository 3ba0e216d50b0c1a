using Appraise.Api.Metrics;

namespace Appraise.Api.Security;

/// <summary>
/// Guards an endpoint group with an API key in <c>X-Api-Key</c> (or <c>api-key</c>, which the
/// original service's tests send). A missing or wrong key gets the original service's 418.
/// </summary>
public sealed class ApiKeyEndpointFilter(ApiKeyRing ring, AppraiseMetrics metrics) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";
    public const string AlternateHeaderName = "api-key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Request.Headers;
        var presented = headers.TryGetValue(HeaderName, out var key) ? key : headers[AlternateHeaderName];
        if (presented.Count == 1 && ring.IsValid(presented[0]))
        {
            return next(context);
        }
        metrics.InvalidApiKey();
        return ValueTask.FromResult<object?>(TypedResults.Json(
            InvalidApiKeyResponse.Instance, Hosting.AppJsonContext.Default.InvalidApiKeyResponse, statusCode: StatusCodes.Status418ImATeapot));
    }
}
