using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>
/// Puts the store's schema in place. One attempt during start-up, so the normal case is ready
/// at once; when the database does not answer, the service starts anyway (predictions need no
/// database) and migrations are retried in the background with backoff until it does.
/// </summary>
public sealed partial class ReportStoreInitializer(
    IReportStore store, ReportStoreStatus status, IOptions<ReportsOptions> options, ILogger<ReportStoreInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryInitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!status.IsInitialized && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await TryInitializeAsync(stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, delay.Ticks * 2));
        }
    }

    private async Task TryInitializeAsync(CancellationToken cancellationToken)
    {
        // Migrations may take longer than one request's operation timeout.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.OperationTimeout * 3);
        try
        {
            await store.InitializeAsync(timeout.Token);
            status.MarkInitialized();
            LogReady();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            status.MarkUnreachable($"The report store cannot be prepared: {e.Message}");
            LogNotReady(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report store ready (schema up to date)")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report store not ready, retrying in the background; predictions are served meanwhile and report requests get 503: {Reason}")]
    private partial void LogNotReady(string reason);
}
