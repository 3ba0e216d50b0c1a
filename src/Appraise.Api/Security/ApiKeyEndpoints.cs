using Appraise.Api.Metrics;

namespace Appraise.Api.Security;

/// <summary>Puts the API key check in front of an endpoint.</summary>
public static class ApiKeyEndpoints
{
    /// <summary>
    /// One filter per endpoint, made when the endpoint is built. AddEndpointFilter&lt;T&gt;() would
    /// activate a filter on every request and, at start-up, throw and catch an exception per
    /// endpoint while it looks for a constructor taking the factory context.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .WithMetadata(ApiKeyRequirement.Instance)
            .AddEndpointFilterFactory((context, next) =>
            {
                var services = context.ApplicationServices;
                var filter = new ApiKeyEndpointFilter(services.GetRequiredService<ApiKeyRing>(), services.GetRequiredService<AppraiseMetrics>());
                return invocation => filter.InvokeAsync(invocation, next);
            });
}
