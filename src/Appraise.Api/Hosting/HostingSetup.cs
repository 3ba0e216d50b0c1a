using System.Text.Json;
using System.Text.Json.Serialization;
using Appraise.Api.About;
using Appraise.Api.Health;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Hosting;

/// <summary>Cross-cutting HTTP wiring: JSON, problem details, Kestrel limits, shutdown timeout.</summary>
public static class HostingSetup
{
    /// <summary>Kestrel's ceiling; each endpoint enforces its own, smaller limit.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddAppraiseHosting(this WebApplicationBuilder builder)
    {
        // Secrets mounted as files (a Kubernetes Secret, a CSI or External Secrets volume): every file
        // name is a configuration key (ConnectionStrings__Reports) and its content the value.
        if (builder.Configuration["ConfigDirectory"] is { Length: > 0 } directory)
        {
            if (!Directory.Exists(directory))
            {
                throw new ConfigurationException(
                    $"ConfigDirectory '{directory}' does not exist: mount the secret volume there, or unset ConfigDirectory.");
            }
            builder.Configuration.AddKeyPerFile(source =>
            {
                // Polled every few seconds rather than watched: Kubernetes updates a mounted Secret
                // by swapping a symlink, which file-system events do not reliably report.
                source.FileProvider = new PhysicalFileProvider(Path.GetFullPath(directory)) { UsePollingFileWatcher = true, UseActivePolling = true };
                source.Optional = false;
                source.ReloadOnChange = true;
            });
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // The seeds' clients read snake_case (event_id, predicted_value); problem details keep their own names.
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default);
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ServiceInfo>();

        builder.Services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        return builder;
    }
}
