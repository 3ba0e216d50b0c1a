using System.Globalization;
using Appraise.Api.Onnx;
using Appraise.Api.Security;
using Google.Protobuf;
using Grpc.Core;
using Oip = Inference;

namespace Appraise.Api.OpenInference.Grpc;

/// <summary>
/// inference.GRPCInferenceService from kserve/open-inference-protocol d49cc23
/// (specification/protocol/open_inference_grpc.proto, vendored unchanged): the same data plane
/// as the REST routes. Tensors come as typed contents or raw_input_contents (little-endian,
/// row-major); raw inputs are answered with raw_output_contents, as KServe does. ModelInfer needs
/// the API key in the x-api-key (or api-key) metadata. Errors are gRPC statuses: INVALID_ARGUMENT,
/// NOT_FOUND, UNAVAILABLE, UNAUTHENTICATED, RESOURCE_EXHAUSTED.
/// </summary>
internal sealed class InferenceGrpcService(InferenceDataPlane plane, ApiKeyRing keys, Metrics.AppraiseMetrics metrics) : Oip.GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<Oip.ServerLiveResponse> ServerLive(Oip.ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new Oip.ServerLiveResponse { Live = true });

    public override Task<Oip.ServerReadyResponse> ServerReady(Oip.ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new Oip.ServerReadyResponse { Ready = plane.ServerReady });

    public override Task<Oip.ModelReadyResponse> ModelReady(Oip.ModelReadyRequest request, ServerCallContext context) =>
        Task.FromResult(Call(() => new Oip.ModelReadyResponse { Ready = plane.ModelReady(request.Name, Version(request.Version)) }));

    public override Task<Oip.ServerMetadataResponse> ServerMetadata(Oip.ServerMetadataRequest request, ServerCallContext context)
    {
        var metadata = plane.ServerMetadata();
        var response = new Oip.ServerMetadataResponse { Name = metadata.Name, Version = metadata.Version };
        response.Extensions.AddRange(metadata.Extensions);
        return Task.FromResult(response);
    }

    public override Task<Oip.ModelMetadataResponse> ModelMetadata(Oip.ModelMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(Call(() =>
        {
            var metadata = plane.ModelMetadata(request.Name, Version(request.Version));
            var response = new Oip.ModelMetadataResponse { Name = metadata.Name, Platform = metadata.Platform };
            response.Versions.AddRange(metadata.Versions);
            response.Inputs.AddRange(metadata.Inputs.Select(Tensor));
            response.Outputs.AddRange(metadata.Outputs.Select(Tensor));
            return response;
        }));

    public override Task<Oip.ModelInferResponse> ModelInfer(Oip.ModelInferRequest request, ServerCallContext context)
    {
        var headers = context.RequestHeaders;
        var key = headers.GetValue(ApiKeyEndpointFilter.HeaderName.ToLowerInvariant()) ?? headers.GetValue(ApiKeyEndpointFilter.AlternateHeaderName);
        if (key is null || !keys.IsValid(key))
        {
            metrics.InvalidApiKey();
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"a missing or wrong key: ModelInfer needs an API key in the {ApiKeyEndpointFilter.HeaderName.ToLowerInvariant()} metadata"));
        }
        return Task.FromResult(Call(() =>
        {
            var raw = request.RawInputContents.Count > 0;
            var result = plane.Infer(request.ModelName, Version(request.ModelVersion), Decode(request, plane.MaxValues), "grpc_infer");
            return Encode(result, raw);
        }));
    }

    private static string? Version(string version) => version.Length == 0 ? null : version;

    private static Oip.ModelMetadataResponse.Types.TensorMetadata Tensor(TensorMetadata tensor)
    {
        var metadata = new Oip.ModelMetadataResponse.Types.TensorMetadata { Name = tensor.Name, Datatype = tensor.Datatype };
        metadata.Shape.AddRange(tensor.Shape);
        return metadata;
    }

    /// <summary>Runs a data-plane call, turning its errors into the gRPC status each maps to.</summary>
    private static T Call<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (InferenceException e)
        {
            var code = e.Status switch
            {
                StatusCodes.Status404NotFound => StatusCode.NotFound,
                StatusCodes.Status503ServiceUnavailable => StatusCode.Unavailable,
                StatusCodes.Status413PayloadTooLarge => StatusCode.ResourceExhausted,
                _ => StatusCode.InvalidArgument,
            };
            throw new RpcException(new Status(code, e.Message));
        }
    }

    /// <summary>The protobuf request as the data plane's: each input's values from its typed contents or its raw bytes.</summary>
    public static InferRequest Decode(Oip.ModelInferRequest message, long maxValues)
    {
        var request = new InferRequest { Id = message.Id.Length == 0 ? null : message.Id };
        if (message.Parameters.TryGetValue("content_type", out var contentType))
        {
            request.ContentType = contentType.StringParam;
        }
        var raw = message.RawInputContents;
        if (raw.Count > 0 && raw.Count != message.Inputs.Count)
        {
            throw InferenceException.BadInput(string.Create(CultureInfo.InvariantCulture,
                $"raw_input_contents has {raw.Count} entries for {message.Inputs.Count} inputs: one per input, in order"));
        }
        if (message.Inputs.Count == 0)
        {
            throw InferenceException.BadInput("inputs is required and may not be empty");
        }
        for (var i = 0; i < message.Inputs.Count; i++)
        {
            var tensor = message.Inputs[i];
            var width = Datatypes.Size(tensor.Datatype);
            if (width == 0)
            {
                throw InferenceException.BadInput($"input {tensor.Name} has datatype {tensor.Datatype}; features are {Datatypes.Numeric}");
            }
            if (tensor.Shape.Any(d => d < 0))
            {
                throw InferenceException.BadInput($"input {tensor.Name}: shape must be whole numbers, none negative");
            }
            long[] shape = [.. tensor.Shape];
            var count = InferRequestReader.Elements(tensor.Name, shape, maxValues);
            var input = new InferInput { Name = tensor.Name, Datatype = tensor.Datatype, Shape = shape };
            if (raw.Count > 0)
            {
                if (tensor.Contents is not null && Count(tensor.Contents) > 0)
                {
                    throw InferenceException.BadInput($"input {tensor.Name} has both contents and raw_input_contents");
                }
                if (raw[i].Length != count * width)
                {
                    throw InferenceException.BadInput(string.Create(CultureInfo.InvariantCulture,
                        $"input {tensor.Name} has shape [{string.Join(", ", shape)}]: {count} {tensor.Datatype} values take {count * width} bytes, but its raw contents hold {raw[i].Length}"));
                }
                input.Data = InferRequestReader.Decode(raw[i].Span, tensor.Datatype, (int)count);
            }
            else
            {
                input.Data = Typed(tensor, count);
            }
            request.Inputs.Add(input);
        }
        foreach (var output in message.Outputs)
        {
            request.Outputs.Add(new RequestedOutput(output.Name, null));
        }
        return request;
    }

    private static int Count(Oip.InferTensorContents c) => c.BoolContents.Count + c.IntContents.Count + c.Int64Contents.Count
        + c.UintContents.Count + c.Uint64Contents.Count + c.Fp32Contents.Count + c.Fp64Contents.Count + c.BytesContents.Count;

    /// <summary>The values of the contents field the datatype names (the proto's table); any other field filled is refused.</summary>
    private static double[] Typed(Oip.ModelInferRequest.Types.InferInputTensor tensor, long count)
    {
        var contents = tensor.Contents ?? new Oip.InferTensorContents();
        double[] values = tensor.Datatype switch
        {
            "FP32" => [.. contents.Fp32Contents.Select(v => (double)v)],
            "FP64" => [.. contents.Fp64Contents],
            "INT8" or "INT16" or "INT32" => [.. contents.IntContents.Select(v => (double)v)],
            "INT64" => [.. contents.Int64Contents.Select(v => (double)v)],
            "UINT8" or "UINT16" or "UINT32" => [.. contents.UintContents.Select(v => (double)v)],
            "UINT64" => [.. contents.Uint64Contents.Select(v => (double)v)],
            _ => [.. contents.BoolContents.Select(v => v ? 1.0 : 0.0)],
        };
        if (values.Length != count || Count(contents) != values.Length)
        {
            throw InferenceException.BadInput(string.Create(CultureInfo.InvariantCulture,
                $"input {tensor.Name} has shape [{string.Join(", ", tensor.Shape)}], which is {count} values, but its {tensor.Datatype} contents hold {values.Length}{(Count(contents) != values.Length ? " (and other contents fields are filled)" : "")}"));
        }
        return values;
    }

    /// <summary>The data plane's result as the protobuf answer: typed contents, or raw_output_contents when the request came raw.</summary>
    public static Oip.ModelInferResponse Encode(InferResult result, bool raw)
    {
        var response = new Oip.ModelInferResponse { ModelName = result.ModelName, ModelVersion = result.ModelVersion, Id = result.Id ?? "" };
        foreach (var output in result.Outputs)
        {
            var tensor = new Oip.ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.Datatype };
            tensor.Shape.AddRange(output.Shape);
            if (raw)
            {
                var bytes = new System.Buffers.ArrayBufferWriter<byte>();
                InferResponseWriter.WriteBinary(output, bytes);
                response.RawOutputContents.Add(ByteString.CopyFrom(bytes.WrittenSpan));
            }
            else
            {
                tensor.Contents = Contents(output);
            }
            response.Outputs.Add(tensor);
        }
        return response;
    }

    private static Oip.InferTensorContents Contents(OutputTensor output)
    {
        var contents = new Oip.InferTensorContents();
        switch (output.Type)
        {
            case TensorType.Fp32:
                contents.Fp32Contents.AddRange(output.Floats!);
                break;
            case TensorType.Fp64:
                contents.Fp64Contents.AddRange(output.Doubles!);
                break;
            case TensorType.Int32:
                contents.IntContents.AddRange(output.Longs!.Select(v => (int)v));
                break;
            case TensorType.Int64:
                contents.Int64Contents.AddRange(output.Longs!);
                break;
            default:
                contents.BytesContents.AddRange(output.Strings!.Select(ByteString.CopyFromUtf8));
                break;
        }
        return contents;
    }
}
