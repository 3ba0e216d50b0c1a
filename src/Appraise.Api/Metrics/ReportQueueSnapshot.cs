namespace Appraise.Api.Metrics;

/// <summary>The report queue as last observed from the store.</summary>
public sealed record ReportQueueSnapshot(long Queued, long Running, TimeSpan OldestQueuedAge)
{
    public static readonly ReportQueueSnapshot Empty = new(0, 0, TimeSpan.Zero);
}
