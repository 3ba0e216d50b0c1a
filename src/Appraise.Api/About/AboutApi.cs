namespace Appraise.Api.About;

/// <summary>GET /version: what exactly is deployed.</summary>
public static class AboutApi
{
    public static IEndpointRouteBuilder MapAbout(this IEndpointRouteBuilder app)
    {
        app.MapGet("/version", (ServiceInfo info) =>
                TypedResults.Ok(new VersionResponse(ServiceInfo.Name, info.Version, info.Commit, info.ModelVersion, ServiceInfo.Dotnet)))
            .WithName("Version")
            .WithTags("Operations")
            .WithSummary("Service version, git commit, model version and .NET version.")
            .DisableRateLimiting();
        return app;
    }
}
