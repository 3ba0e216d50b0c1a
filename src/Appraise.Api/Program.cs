using Appraise.Api.About;
using Appraise.Api.Docs;
using Appraise.Api.Explanations;
using Appraise.Api.Health;
using Appraise.Api.Hello;
using Appraise.Api.Home;
using Appraise.Api.Hosting;
using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Appraise.Api.Observability;
using Appraise.Api.OpenInference;
using Appraise.Api.OpenInference.Grpc;
using Appraise.Api.Predictions;
using Appraise.Api.Reports;
using Appraise.Api.Security;

// "healthcheck" probes a running instance and exits: the container's HEALTHCHECK needs no curl.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

WebApplication app;
try
{
    // appsettings.json lives beside the binary: found wherever the process is started from. It is
    // not watched for changes (nothing reloads it, and the watcher costs start-up time and an
    // inotify instance); mounted settings under ConfigDirectory are polled.
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
        ContentRootPath = AppContext.BaseDirectory,
    });

    builder.UseConventionalListening();            // ASPNETCORE_URLS, _HTTP_PORTS, --urls, Urls; else port 8080, IPv6 and IPv4
    builder.AddAppraiseLogging();                  // JSON lines on stdout, with trace ids
    builder.AddAppraiseTracing();                  // OTLP traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set
    builder.AddAppraiseHosting();                  // JSON contexts, problem details, Kestrel limits, shutdown timeout
    builder.Services.AddTrustedForwardedHeaders(); // X-Forwarded-* believed from configured proxies only
    builder.Services.AddModels();                  // the model repository (or the embedded model), polled for new versions
    builder.Services.AddApiKeys();                 // keys from configuration and mounted files, refreshed live
    builder.Services.AddOpenInference();           // the Open Inference Protocol's data plane and limits
    builder.AddOpenInferenceGrpc();                // and over gRPC on Grpc:Port (8081), with gRPC health and reflection
    builder.Services.AddReports();                 // durable report jobs and their worker
    builder.Services.AddAppraiseMetrics();         // OpenTelemetry metrics, exposed for Prometheus
    builder.Services.AddAppraiseHealthChecks();    // liveness, readiness, drain on SIGTERM
    builder.Services.AddAppraiseRateLimiting();    // per-client token bucket, 429 + Retry-After
    builder.Services.AddApiDocs();                 // OpenAPI document and Swagger UI
    builder.Services.AddHomePage();                // the page for people at /, its assets
    app = builder.Build();
}
catch (Exception e)
{
    return StartupFailure.Report(e);               // a setting that cannot work: one log line, exit 1
}
try
{
    app.UseRequestTelemetry();                     // outermost: logs the status the client really got
    app.UseSecurityHeaders();                      // written as the response starts, errors included
    app.UseTrustedForwardedHeaders();
    app.UseExceptionHandler();
    app.UseStatusCodeProblems();                   // 404 and 405 as problem details for every client
    app.UseRateLimiter();

    app.MapHello();
    app.MapPredictions();
    app.MapExplanations();
    app.MapReports();
    app.MapAbout();
    app.MapModel();
    app.MapOpenInference();                        // /v2: KServe's Open Inference Protocol over REST
    app.MapModelRepositoryApi();                   // /v2/repository: load and unload, admin key, off by default
    app.MapOpenInferenceGrpc();                    // inference.GRPCInferenceService, grpc.health.v1, reflection
    app.MapHealth();
    app.MapMetrics();
    app.MapApiDocs();
    app.MapHomeAssets();

    await app.RunAsync();
}
catch (Exception e)
{
    // A port in use, an invalid setting, an unwritable data directory: the reason in one line
    // after the lines already logged, then a plain failure code rather than a crash dump.
    await app.DisposeAsync();
    return StartupFailure.Report(e);
}
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
