using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>The report store (schema ready before the server starts), the intake, the worker and the queue monitor.</summary>
public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReportsOptions>, ReportsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IReportStore, SqliteReportStore>();
        services.AddSingleton<ReportQueueSignal>();
        services.AddSingleton<ReportIntake>();
        services.AddHostedService<ReportStoreStart>();
        services.AddHostedService<ReportWorker>();
        services.AddHostedService<ReportQueueMonitor>();
        return services;
    }

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
