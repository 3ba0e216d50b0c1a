using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Inference;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// A gRPC client of inference.GRPCInferenceService over the test server. The service's generated
/// code holds the messages but only the server side, so the calls are described here by their
/// wire names, as any client describes them.
/// </summary>
internal sealed class OipGrpc(AppraiseApplication application) : IDisposable
{
    private const string Service = "inference.GRPCInferenceService";

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(application.Server.BaseAddress,
        new GrpcChannelOptions { HttpHandler = application.Server.CreateHandler() });

    public Task<ServerReadyResponse> ServerReadyAsync() => Call<ServerReadyRequest, ServerReadyResponse>("ServerReady", new());

    public Task<ServerMetadataResponse> ServerMetadataAsync() => Call<ServerMetadataRequest, ServerMetadataResponse>("ServerMetadata", new());

    public Task<ModelMetadataResponse> ModelMetadataAsync(string name, string version = "") =>
        Call<ModelMetadataRequest, ModelMetadataResponse>("ModelMetadata", new() { Name = name, Version = version });

    public Task<ModelReadyResponse> ModelReadyAsync(string name, string version = "") =>
        Call<ModelReadyRequest, ModelReadyResponse>("ModelReady", new() { Name = name, Version = version });

    public Task<ModelInferResponse> ModelInferAsync(ModelInferRequest request, string? apiKey = AppraiseApplication.ApiKey) =>
        Call<ModelInferRequest, ModelInferResponse>("ModelInfer", request, apiKey);

    private async Task<TResponse> Call<TRequest, TResponse>(string name, TRequest request, string? apiKey = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, Service, name,
            Marshallers.Create(m => m.ToByteArray(), bytes => new MessageParser<TRequest>(() => new TRequest()).ParseFrom(bytes)),
            Marshallers.Create(m => m.ToByteArray(), bytes => new MessageParser<TResponse>(() => new TResponse()).ParseFrom(bytes)));
        var headers = new Metadata();
        if (apiKey is not null)
        {
            headers.Add("x-api-key", apiKey);
        }
        return await _channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(headers), request);
    }

    public void Dispose() => _channel.Dispose();
}
