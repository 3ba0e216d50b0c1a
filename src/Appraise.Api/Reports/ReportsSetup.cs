using Appraise.Api.Reports.Postgres;
using Appraise.Api.Reports.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>The report store chosen by configuration (schema ready before the server starts), the intake, the worker, the sweeps.</summary>
public static class ReportsSetup
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReportsOptions>, ReportsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IReportStore>(sp =>
            ProviderOf(sp.GetRequiredService<IOptions<ReportsOptions>>().Value, sp.GetRequiredService<IConfiguration>()) == Postgres
                ? ActivatorUtilities.CreateInstance<PostgresReportStore>(sp)
                : ActivatorUtilities.CreateInstance<SqliteReportStore>(sp));
        services.AddSingleton<ReportQueueSignal>();
        services.AddSingleton<ReportIntake>();
        services.AddHostedService<ReportStoreStart>();
        services.AddHostedService<ReportWorker>();
        services.AddHostedService<ReportQueueMonitor>();
        services.AddHostedService<ReportRetentionSweeper>();
        return services;
    }

    public static string ProviderOf(ReportsOptions options, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(options.Provider)
            ? string.IsNullOrWhiteSpace(configuration.GetConnectionString(ReportsOptions.ConnectionStringName)) ? Sqlite : Postgres
            : options.Provider.Trim().ToLowerInvariant();

    private sealed class ReportStoreStart(IReportStore store) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
