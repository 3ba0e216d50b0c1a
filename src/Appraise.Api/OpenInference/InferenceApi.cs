using Appraise.Api.Hosting;
using Appraise.Api.Security;

namespace Appraise.Api.OpenInference;

/// <summary>
/// The Open Inference Protocol (KServe v2) over REST, as kserve/open-inference-protocol d49cc23
/// specifies it (specification/protocol/inference_rest.md): server and model metadata, health,
/// model readiness and inference. Errors are the protocol's {"error": "..."}: 400 bad input, 404
/// unknown model or version, 503 not ready (KServe's statuses).
/// </summary>
public static class InferenceApi
{
    public const string Tag = "Open Inference Protocol";

    public static IEndpointRouteBuilder MapOpenInference(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2", ServerMetadata).WithName("V2ServerMetadata").WithTags(Tag)
            .WithSummary("Server metadata: name, version and the protocol extensions served (binary_tensor_data, model_repository).")
            .Produces<ServerMetadataResponse>();
        app.MapGet("/v2/health/live", () => TypedResults.Json(new LiveResponse(true), AppJsonContext.Default.LiveResponse))
            .WithName("V2ServerLive").WithTags(Tag).WithSummary("Liveness: the process answers.")
            .Produces<LiveResponse>().DisableRateLimiting();
        app.MapGet("/v2/health/ready", ServerReady).WithName("V2ServerReady").WithTags(Tag)
            .WithSummary("Readiness: the default model is loaded and the server is not shutting down (503 otherwise).")
            .Produces<ReadyResponse>().Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable).DisableRateLimiting();

        MapModelRoutes(app, "/v2/models/{name}", "");
        MapModelRoutes(app, "/v2/models/{name}/versions/{version}", "Version");
        return app;
    }

    private static void MapModelRoutes(IEndpointRouteBuilder app, string prefix, string suffix)
    {
        var versioned = suffix.Length > 0;
        var which = versioned ? "one version" : "the model's serving version (its pin, else its newest)";
        var metadata = versioned
            ? app.MapGet(prefix, (InferenceDataPlane plane, string name, string version) => ModelMetadata(plane, name, version))
            : app.MapGet(prefix, (InferenceDataPlane plane, string name) => ModelMetadata(plane, name, null));
        metadata.WithName("V2ModelMetadata" + suffix).WithTags(Tag)
            .WithSummary($"Model metadata of {which}: every version served, the platform, the input and output tensors.")
            .Produces<ModelMetadataResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        var ready = versioned
            ? app.MapGet(prefix + "/ready", (InferenceDataPlane plane, string name, string version) => ModelReady(plane, name, version))
            : app.MapGet(prefix + "/ready", (InferenceDataPlane plane, string name) => ModelReady(plane, name, null));
        ready.WithName("V2ModelReady" + suffix).WithTags(Tag)
            .WithSummary($"Whether {which} is loaded and serving (503 while it loads or after an unload, 404 when unknown).")
            .Produces<ModelReadyResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting();
        var infer = versioned
            ? app.MapPost(prefix + "/infer", (HttpContext context, InferenceDataPlane plane, string name, string version) => Infer(context, plane, name, version))
            : app.MapPost(prefix + "/infer", (HttpContext context, InferenceDataPlane plane, string name) => Infer(context, plane, name, null));
        infer.WithName("V2ModelInfer" + suffix).WithTags(Tag)
            .WithSummary($"Inference with {which}: one [N, F] tensor or one [N] tensor per feature (content_type pd); JSON or binary tensor data.")
            .WithDescription("Requires an API key in X-Api-Key (or api-key); a missing or wrong key is answered with 401 {\"error\": ...}.")
            .RequireInferenceKey()
            .Produces<InferenceResponseDocument>(StatusCodes.Status200OK, "application/json", "application/octet-stream")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorResponse>(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimiting.ApiPolicy);
    }

    public static IResult ServerMetadata(InferenceDataPlane plane) =>
        TypedResults.Json(plane.ServerMetadata(), AppJsonContext.Default.ServerMetadataResponse);

    public static IResult ServerReady(InferenceDataPlane plane) => plane.ServerReady
        ? TypedResults.Json(new ReadyResponse(true), AppJsonContext.Default.ReadyResponse)
        : InferenceException.Result(StatusCodes.Status503ServiceUnavailable, plane.NotReadyReason());

    public static IResult ModelMetadata(InferenceDataPlane plane, string name, string? version)
    {
        try
        {
            return TypedResults.Json(plane.ModelMetadata(name, version), AppJsonContext.Default.ModelMetadataResponse);
        }
        catch (InferenceException e)
        {
            return e.ToResult();
        }
    }

    public static IResult ModelReady(InferenceDataPlane plane, string name, string? version)
    {
        try
        {
            return plane.ModelReady(name, version)
                ? TypedResults.Json(new ModelReadyResponse(name, true), AppJsonContext.Default.ModelReadyResponse)
                : InferenceException.Result(StatusCodes.Status503ServiceUnavailable, $"model {name}{(version is null ? "" : $" version {version}")} is not ready");
        }
        catch (InferenceException e)
        {
            return e.ToResult();
        }
    }

    public static async Task<IResult> Infer(HttpContext context, InferenceDataPlane plane, string name, string? version)
    {
        InferResult result;
        try
        {
            var request = await InferBody.ReadAsync(context.Request, plane.Options.MaxBodyBytes, plane.MaxValues, context.RequestAborted);
            result = plane.Infer(name, version, request, "v2_infer");
        }
        catch (InferenceException e)
        {
            return e.ToResult();
        }
        await InferResponseWriter.WriteAsync(context.Response, result, context.RequestAborted);
        return Results.Empty;
    }
}
