using Appraise.Api.Hosting;

namespace Appraise.Api.Home;

/// <summary>The page's assets at /assets/{name}; the page itself is served at / (see Hello).</summary>
public static class HomeApi
{
    public static IServiceCollection AddHomePage(this IServiceCollection services)
    {
        services.AddOptions<HomeOptions>().BindConfiguration(HomeOptions.Section);
        services.AddSingleton<HomePage>();
        return services;
    }

    public static IEndpointRouteBuilder MapHomeAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HomePage page, HttpResponse response) =>
            {
                response.Headers.CacheControl = "public, max-age=300";
                return page.Asset(name) ?? Problems.NotFound("No such asset.");
            })
            .ExcludeFromDescription()
            .DisableRateLimiting();
        return app;
    }
}
