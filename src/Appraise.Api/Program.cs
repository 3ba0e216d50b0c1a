using Appraise.Api.About;
using Appraise.Api.Docs;
using Appraise.Api.Health;
using Appraise.Api.Hello;
using Appraise.Api.Hosting;
using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Appraise.Api.Observability;
using Appraise.Api.Predictions;
using Appraise.Api.Reports;
using Appraise.Api.Security;

// "healthcheck" probes a running instance and exits: the container's HEALTHCHECK needs no curl.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

// appsettings.json lives beside the binary: found wherever the process is started from. It is not
// watched for changes (nothing reloads it, and the watcher costs start-up time and an inotify
// instance); mounted secrets under ConfigDirectory are still watched.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddAppraiseLogging();                  // JSON lines on stdout, with trace ids
builder.AddAppraiseTracing();                  // OTLP traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set
builder.AddAppraiseHosting();                  // JSON contexts, problem details, Kestrel limits, shutdown timeout
builder.Services.AddHousingModel();            // the gradient-boosted model, loaded before the server starts
builder.Services.AddApiKeys();                 // keys from configuration and mounted files, refreshed live
builder.Services.AddReports();                 // durable report jobs and their worker
builder.Services.AddAppraiseMetrics();         // Prometheus exporter over System.Diagnostics.Metrics
builder.Services.AddAppraiseHealthChecks();    // liveness, readiness, drain on SIGTERM
builder.Services.AddAppraiseRateLimiting();    // per-client token bucket, 429 + Retry-After
builder.Services.AddApiDocs();                 // OpenAPI document and Swagger UI

var app = builder.Build();
app.StartLoadingModel();                       // on another core while the rest of start-up runs

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseRequestTelemetry();
app.UseRateLimiter();

app.MapHello();
app.MapPredictions();
app.MapReports();
app.MapAbout();
app.MapHealth();
app.MapMetrics();
app.MapApiDocs();

try
{
    await app.RunAsync();
}
catch (Exception)
{
    // The host has already logged why (a bad setting, a port in use): exit with a plain failure
    // code rather than the runtime's crash dump.
    return 1;
}
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
