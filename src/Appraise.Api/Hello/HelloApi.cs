using Appraise.Api.About;

namespace Appraise.Api.Hello;

/// <summary>The greeting endpoints every seed has, byte for byte.</summary>
public static class HelloApi
{
    public static IEndpointRouteBuilder MapHello(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (ServiceInfo info) => TypedResults.Ok(new RootResponse(HelloResponse.Instance.Message, ServiceInfo.Name, info.Version, ServiceInfo.Hostname)))
            .WithName("Root")
            .WithTags("Hello")
            .WithSummary("Hello World, with the service name, version and the hostname that answered.");
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
}
