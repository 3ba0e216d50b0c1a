using Appraise.Api.Health;
using Appraise.Api.Hosting;
using Grpc.Reflection;
using Microsoft.Extensions.Options;

namespace Appraise.Api.OpenInference.Grpc;

/// <summary>
/// The Open Inference Protocol over gRPC on its own port (Grpc:Port, 8081 as KServe uses; 0 turns
/// it off): plaintext HTTP/2 beside wherever the HTTP port listens, with the standard gRPC health
/// service (grpc.health.v1, answering from the readiness checks) and server reflection.
/// </summary>
public static class GrpcSetup
{
    public const int DefaultPort = 8081;

    /// <summary>The configured port, validated: 0 (off) or 1 to 65535; anything else stops the start with one line.</summary>
    public static int Port(IConfiguration configuration)
    {
        var text = configuration["Grpc:Port"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultPort;
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ConfigurationException($"Grpc:Port must be a port number (1 to 65535), or 0 to turn gRPC off; it is '{text}'.");
    }

    public static WebApplicationBuilder AddOpenInferenceGrpc(this WebApplicationBuilder builder)
    {
        var port = Port(builder.Configuration);
        builder.Services.AddGrpc();
        // A request as large as the REST route accepts (Inference:MaxBodyBytes); the data plane bounds rows and values.
        builder.Services.AddOptions<global::Grpc.AspNetCore.Server.GrpcServiceOptions>()
            .Configure<IOptions<InferenceOptions>>((grpc, inference) => grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, inference.Value.MaxBodyBytes));
        builder.Services.AddGrpcHealthChecks(health =>
        {
            // "" is the server as a whole; the service name is what KServe's and Triton's probes ask for.
            health.Services.Map("", check => check.Tags.Contains(HealthApi.ReadyTag));
            health.Services.Map(GRPCServiceName, check => check.Tags.Contains(HealthApi.ReadyTag));
        });
        // Reflection knows the services it describes from their descriptors, named here: the
        // discovery Grpc.AspNetCore.Server.Reflection does by reflection does not survive trimming.
        Google.Protobuf.Reflection.ServiceDescriptor[] described =
        [
            Inference.GRPCInferenceService.Descriptor,
            global::Grpc.Health.V1.Health.Descriptor,
            global::Grpc.Reflection.V1.ServerReflection.Descriptor,
            global::Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
        ];
        builder.Services.AddSingleton(new ReflectionV1ServiceImpl(described));
        builder.Services.AddSingleton(new ReflectionServiceImpl(described));
        if (port > 0)
        {
            Listening.AddHttp2Port(builder, port);
        }
        return builder;
    }

    public const string GRPCServiceName = "inference.GRPCInferenceService";

    public static IEndpointRouteBuilder MapOpenInferenceGrpc(this IEndpointRouteBuilder app)
    {
        if (Port(app.ServiceProvider.GetRequiredService<IConfiguration>()) == 0)
        {
            return app;
        }
        app.MapGrpcService<InferenceGrpcService>().DisableRateLimiting().ExcludeFromDescription();
        app.MapGrpcHealthChecksService().DisableRateLimiting().ExcludeFromDescription();
        app.MapGrpcService<ReflectionV1ServiceImpl>().DisableRateLimiting().ExcludeFromDescription();
        app.MapGrpcService<ReflectionServiceImpl>().DisableRateLimiting().ExcludeFromDescription();
        return app;
    }
}
