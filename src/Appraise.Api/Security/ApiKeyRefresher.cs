using Microsoft.Extensions.Options;

namespace Appraise.Api.Security;

/// <summary>Loads the keys at start and re-reads them periodically, so a rotated secret takes effect without a restart.</summary>
public sealed partial class ApiKeyRefresher(ApiKeyRing ring, AdminKeyRing admin, IOptions<ApiKeyOptions> options, ILogger<ApiKeyRefresher> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Refresh();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Refresh();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, also when start-up failed and the host never called StopAsync.
        }
    }

    private void Refresh()
    {
        try
        {
            if (ring.Replace(ApiKeySources.Read(options.Value)))
            {
                LogKeysLoaded(ring.Count);
            }
            if (admin.Keys.Replace(ApiKeySources.ReadAdmin(options.Value)))
            {
                LogAdminKeysLoaded(admin.Keys.Count);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRefreshFailed(e.Message);
        }
    }

    // Only the number of keys is ever logged, never a key.
    [LoggerMessage(Level = LogLevel.Information, Message = "API keys loaded: {KeyCount} valid")]
    private partial void LogKeysLoaded(int keyCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin keys loaded: {KeyCount} valid")]
    private partial void LogAdminKeysLoaded(int keyCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key files could not be read, keeping the current keys: {Reason}")]
    private partial void LogRefreshFailed(string reason);
}
