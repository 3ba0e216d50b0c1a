using Appraise.Api.About;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Appraise.Api.Observability;

/// <summary>JSON logs on stdout with trace ids, and OTLP tracing when an endpoint is configured.</summary>
public static class ObservabilitySetup
{
    public static WebApplicationBuilder AddAppraiseLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // Created by the container, so the container disposes it at exit and the last lines are written.
        builder.Services.AddSingleton<ILoggerProvider>(_ => new JsonLineLoggerProvider(Console.OpenStandardOutput()));
        return builder;
    }

    /// <summary>Traces ASP.NET Core's requests over OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static WebApplicationBuilder AddAppraiseTracing(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        builder.Services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(Resource())
            .AddSource("Microsoft.AspNetCore")
            .AddOtlpExporter()
            .Build());
        builder.Services.AddHostedService<TracingLifetime>();
        return builder;
    }

    /// <summary>
    /// appraise's defaults first, then what the standard variables say (OTEL_RESOURCE_ATTRIBUTES,
    /// then OTEL_SERVICE_NAME): later detectors win, so a user's service name and attributes
    /// replace the defaults and "appraise" is only the name when nobody chose one.
    /// </summary>
    internal static ResourceBuilder Resource() => ResourceBuilder.CreateEmpty()
        .AddService(ServiceInfo.Name, serviceVersion: ServiceInfo.ReleaseVersion, serviceInstanceId: Environment.MachineName)
        .AddTelemetrySdk()
        .AddEnvironmentVariableDetector();

    public static IApplicationBuilder UseRequestTelemetry(this IApplicationBuilder app) => app.UseMiddleware<RequestTelemetry>();
}
