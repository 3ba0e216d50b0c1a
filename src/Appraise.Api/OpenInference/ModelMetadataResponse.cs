namespace Appraise.Api.OpenInference;

/// <summary>The protocol's $metadata_server_response.</summary>
public sealed record ServerMetadataResponse(string Name, string Version, string[] Extensions);

/// <summary>The protocol's $metadata_model_response: every version being served, the platform, the tensors.</summary>
public sealed record ModelMetadataResponse(string Name, string[] Versions, string Platform, TensorMetadata[] Inputs, TensorMetadata[] Outputs);

/// <summary>A tensor's name, datatype and shape (-1 for a dimension of any size).</summary>
public sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

/// <summary>$live_server_response, $ready_server_response and $ready_model_response.</summary>
public sealed record LiveResponse(bool Live);

public sealed record ReadyResponse(bool Ready);

public sealed record ModelReadyResponse(string Name, bool Ready);

/// <summary>One line of the repository index (the model repository extension).</summary>
public sealed record RepositoryIndexEntry(string Name, string Version, string State, string Reason);
