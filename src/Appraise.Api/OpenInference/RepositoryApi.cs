using System.Text.Json;
using Appraise.Api.Hosting;
using Appraise.Api.Model;
using Appraise.Api.Security;
using Microsoft.Extensions.Options;

namespace Appraise.Api.OpenInference;

/// <summary>
/// The model repository extension (Triton's docs/protocol/extension_model_repository.md, v2.71.0):
/// the index, load and unload. Load and unload change what is served, so the routes answer only
/// when Model:RepositoryApi is on, and then only to an admin key (Auth:AdminKeys), never to an API key.
/// </summary>
public static class RepositoryApi
{
    public static IEndpointRouteBuilder MapModelRepositoryApi(this IEndpointRouteBuilder app)
    {
        var enabled = app.ServiceProvider.GetRequiredService<IOptions<ModelOptions>>().Value.RepositoryApi;
        var index = app.MapPost("/v2/repository/index", Index).WithName("V2RepositoryIndex")
            .WithSummary("Every model version the repository offers, with its state (READY, LOADING, UNAVAILABLE) and the reason.")
            .Produces<RepositoryIndexEntry[]>();
        var load = app.MapPost("/v2/repository/models/{name}/load", Load).WithName("V2RepositoryLoad")
            .WithSummary("Serves a model again (after an unload) and loads its versions now; 200 once it serves.")
            .Produces<RepositoryActionResponse>();
        var unload = app.MapPost("/v2/repository/models/{name}/unload", Unload).WithName("V2RepositoryUnload")
            .WithSummary("Stops serving every version of a model and frees its memory, until it is loaded again.")
            .Produces<RepositoryActionResponse>();
        foreach (var route in new[] { index, load, unload })
        {
            route.WithTags(InferenceApi.Tag)
                .WithDescription("Off unless Model:RepositoryApi is true (404 then); needs an admin key in X-Api-Key, never an API key.")
                .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
                .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
                .RequireRateLimiting(RateLimiting.ApiPolicy);
            if (enabled)
            {
                route.RequireAdminKey().Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);
            }
            else
            {
                route.AddEndpointFilter((_, _) => ValueTask.FromResult<object?>(InferenceException.Result(StatusCodes.Status404NotFound,
                    "the model repository extension is off: set Model:RepositoryApi=true and an admin key (Auth:AdminKeys)")));
            }
        }
        return app;
    }

    public static async Task<IResult> Index(HttpRequest request, ModelRepository repository, CancellationToken cancellationToken)
    {
        bool readyOnly;
        try
        {
            readyOnly = await ReadyOnlyAsync(request, cancellationToken);
        }
        catch (InferenceException e)
        {
            return e.ToResult();
        }
        var entries = repository.Index()
            .Where(s => !readyOnly || s.State == "READY")
            .Select(s => new RepositoryIndexEntry(s.Model, s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), s.State, s.Reason))
            .ToArray();
        return TypedResults.Json(entries, AppJsonContext.Default.RepositoryIndexEntryArray);
    }

    public static async Task<IResult> Load(string name, ModelRepository repository, CancellationToken cancellationToken)
    {
        var failure = await repository.LoadAsync(name, cancellationToken);
        return failure is null
            ? TypedResults.Json(new RepositoryActionResponse(name, true, null), AppJsonContext.Default.RepositoryActionResponse)
            : InferenceException.Result(failure.Contains("is not in the", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, failure);
    }

    public static async Task<IResult> Unload(string name, ModelRepository repository, ModelRegistry models, CancellationToken cancellationToken)
    {
        if (name == models.DefaultName)
        {
            return InferenceException.Result(StatusCodes.Status400BadRequest,
                $"model {name} is Model:Default, behind the seed endpoints and readiness: it cannot be unloaded");
        }
        var failure = await repository.UnloadAsync(name, cancellationToken);
        return failure is null
            ? TypedResults.Json(new RepositoryActionResponse(name, null, true), AppJsonContext.Default.RepositoryActionResponse)
            : InferenceException.Result(StatusCodes.Status404NotFound, failure);
    }

    /// <summary>The index request's optional body: empty, or {"ready": bool}.</summary>
    private static async Task<bool> ReadyOnlyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            return false;
        }
        try
        {
            var body = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), AppJsonContext.Default.RepositoryIndexRequest);
            return body?.Ready ?? false;
        }
        catch (JsonException e)
        {
            throw InferenceException.BadInput($"the index request must be empty or {{\"ready\": true|false}} ({e.Message})");
        }
    }
}
