namespace Appraise.Api.OpenInference;

/// <summary>An inference request as the protocol carries it, over REST or gRPC, decoded.</summary>
public sealed class InferRequest
{
    public string? Id { get; set; }

    /// <summary>Request parameter content_type ("pd": one input per column, as MLServer sends a DataFrame).</summary>
    public string? ContentType { get; set; }

    /// <summary>Request parameter binary_data_output: every output as binary tensor data unless it says otherwise.</summary>
    public bool BinaryOutput { get; set; }

    public List<InferInput> Inputs { get; } = [];

    /// <summary>The outputs asked for; empty: all of the model's outputs.</summary>
    public List<RequestedOutput> Outputs { get; } = [];
}

/// <summary>One input tensor: its values row-major, as doubles (NaN for a missing value, null in JSON).</summary>
public sealed class InferInput
{
    public required string Name { get; init; }

    public required string Datatype { get; init; }

    public required long[] Shape { get; init; }

    public double[] Data { get; set; } = [];

    /// <summary>Parameter binary_data_size: the tensor's bytes follow the JSON (binary tensor data extension).</summary>
    public long? BinaryDataSize { get; set; }
}

/// <summary>An output asked for by name; <see cref="Binary"/> is its parameter binary_data (null: the request's default).</summary>
public sealed record RequestedOutput(string Name, bool? Binary);
