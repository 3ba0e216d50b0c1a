namespace Appraise.Api.Reports;

/// <summary>
/// Whether the report store can be used right now: its schema is in place (migrations ran) and
/// the last operation reached it. Predictions never depend on it; report requests are refused
/// with 503 while it is down, readiness shows it as degraded, and /metrics exports it.
/// </summary>
public sealed class ReportStoreStatus
{
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _up;
    private volatile string _problem = "The report store has not been reached yet.";

    public bool IsInitialized => _initialized.Task.IsCompleted;

    /// <summary>Initialized and reachable at the last operation.</summary>
    public bool IsUp => IsInitialized && _up;

    /// <summary>Why the store is not up (the last error), for readiness and logs; never holds secrets.</summary>
    public string Problem => _problem;

    /// <summary>Completes once the schema is in place.</summary>
    public Task Initialized => _initialized.Task;

    public void MarkInitialized()
    {
        _up = true;
        _initialized.TrySetResult();
    }

    public void MarkReachable() => _up = true;

    public void MarkUnreachable(string problem)
    {
        _problem = problem;
        _up = false;
    }
}
