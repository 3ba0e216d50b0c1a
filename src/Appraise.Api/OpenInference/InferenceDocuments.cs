using System.Text.Json;

namespace Appraise.Api.OpenInference;

// The shapes of $inference_request and $inference_response for the OpenAPI document only: the
// service reads requests with InferRequestReader and writes answers with InferResponseWriter,
// which stream the tensors without materialising JSON objects per value.

/// <summary>$inference_request: inputs as one [N, F] tensor or one [N] tensor per feature (parameters.content_type "pd").</summary>
public sealed class InferenceRequestDocument
{
    public string? Id { get; init; }

    public Dictionary<string, JsonElement>? Parameters { get; init; }

    public required RequestInputDocument[] Inputs { get; init; }

    public RequestOutputDocument[]? Outputs { get; init; }
}

/// <summary>$request_input: data nested or flat, row-major (null for a missing value), or parameters.binary_data_size.</summary>
public sealed class RequestInputDocument
{
    public required string Name { get; init; }

    public required long[] Shape { get; init; }

    public required string Datatype { get; init; }

    public Dictionary<string, JsonElement>? Parameters { get; init; }

    public JsonElement? Data { get; init; }
}

/// <summary>$request_output: parameters.binary_data asks for it as binary tensor data.</summary>
public sealed class RequestOutputDocument
{
    public required string Name { get; init; }

    public Dictionary<string, JsonElement>? Parameters { get; init; }
}

/// <summary>$inference_response.</summary>
public sealed class InferenceResponseDocument
{
    public required string ModelName { get; init; }

    public string? ModelVersion { get; init; }

    public string? Id { get; init; }

    public required ResponseOutputDocument[] Outputs { get; init; }
}

/// <summary>$response_output: data, or parameters.binary_data_size with the bytes after the JSON.</summary>
public sealed class ResponseOutputDocument
{
    public required string Name { get; init; }

    public required long[] Shape { get; init; }

    public required string Datatype { get; init; }

    public Dictionary<string, JsonElement>? Parameters { get; init; }

    public JsonElement? Data { get; init; }
}

/// <summary>The repository extension's index request: {"ready": true} lists only ready versions.</summary>
public sealed record RepositoryIndexRequest(bool? Ready);

/// <summary>The answer to a repository load or unload (KServe's shape; Triton's clients read only the status).</summary>
public sealed record RepositoryActionResponse(string Name, bool? Load, bool? Unload);
