using Appraise.Api.About;
using Appraise.Api.Home;

namespace Appraise.Api.Hello;

/// <summary>The greeting endpoints every seed has, byte for byte.</summary>
public static class HelloApi
{
    public static IEndpointRouteBuilder MapHello(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Root)
            .WithName("Root")
            .WithTags("Hello")
            .WithSummary("Hello World, with the service name, version and the hostname that answered; browsers (Accept: text/html) get the home page.")
            .Produces<RootResponse>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        app.MapGet("/helloworld", () => TypedResults.Ok(HelloResponse.Instance))
            .WithName("HelloWorld")
            .WithTags("Hello")
            .WithSummary("Hello World (seed 003).");
        app.MapGet("/test", () => TypedResults.Ok(TestResponse.Instance))
            .WithName("Test")
            .WithTags("Hello")
            .WithSummary("{\"test\":\"test\"} (seed 003).");
        app.MapGet("/api/v1/hello/", () => TypedResults.Ok(HelloResponse.Instance))
            .WithName("Hello")
            .WithTags("Hello")
            .WithSummary("Hello World (seed 000); with or without the trailing slash.");
        return app;
    }

    /// <summary>JSON for every client, the home page for a browser (when it is enabled).</summary>
    public static IResult Root(HttpRequest request, HttpResponse response, ServiceInfo info, HomePage page)
    {
        // Caches must keep the page and the JSON apart.
        response.Headers.Vary = "Accept";
        return page.IsWantedBy(request)
            ? page.Page()
            : TypedResults.Ok(new RootResponse(HelloResponse.Instance.Message, ServiceInfo.Name, info.Version, ServiceInfo.Hostname));
    }
}
