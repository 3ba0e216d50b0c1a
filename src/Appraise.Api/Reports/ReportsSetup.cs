using Appraise.Api.Reports.Postgres;
using Appraise.Api.Reports.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>The report store chosen by configuration (its schema prepared at start or, while the database is away, in the background), the intake, the worker, the sweeps.</summary>
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
        services.AddSingleton<ReportStoreStatus>();
        services.AddSingleton<ReportIntake>();
        services.AddHostedService<ReportStoreInitializer>();
        services.AddHostedService<ReportWorker>();
        services.AddHostedService<ReportQueueMonitor>();
        services.AddHostedService<ReportRetentionSweeper>();
        return services;
    }

    public static string ProviderOf(ReportsOptions options, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(options.Provider)
            ? string.IsNullOrWhiteSpace(configuration.GetConnectionString(ReportsOptions.ConnectionStringName)) ? Sqlite : Postgres
            : options.Provider.Trim().ToLowerInvariant();
}
