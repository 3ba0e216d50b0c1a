namespace Appraise.Api.Metrics;

/// <summary>How an instrument's series are aggregated and exposed.</summary>
public enum MetricKind
{
    /// <summary>Monotonic sum (Counter, ObservableCounter).</summary>
    Counter,

    /// <summary>Last value or non-monotonic sum (Gauge, UpDownCounter and their observable forms).</summary>
    Gauge,

    /// <summary>Bucketed distribution (Histogram).</summary>
    Histogram,
}
