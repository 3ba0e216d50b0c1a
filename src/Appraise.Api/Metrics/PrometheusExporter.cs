using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Appraise.Api.Metrics;

/// <summary>
/// Listens to the service's meters (ASP.NET Core, Kestrel, rate limiting, the runtime and
/// appraise's own) and renders them in the Prometheus text exposition format 0.0.4.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static readonly string[] MeterNames =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Runtime",
        AppraiseMetrics.MeterName,
        ProcessMetrics.MeterName,
    ];

    // Seconds: fine enough below a millisecond, where this service answers, and up to 10 s.
    private static readonly double[] LatencyBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    // Scrapes take turns (observing instruments is not reentrant); waiting is asynchronous
    // because a spinning lock burned the CPU that the scrape in progress needed.
    private readonly SemaphoreSlim _collectGate = new(1, 1);
    private readonly List<InstrumentAggregator> _aggregators = [];

    public PrometheusExporter(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!IsOurs(instrument.Meter, meterFactory) || StreamFor(instrument) is not { } aggregator)
            {
                return;
            }
            lock (_aggregators)
            {
                _aggregators.Add(aggregator);
            }
            listener.EnableMeasurementEvents(instrument, aggregator);
        };
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Observes the observable instruments and renders every series.</summary>
    public async Task<string> CollectAsync(CancellationToken cancellationToken)
    {
        await _collectGate.WaitAsync(cancellationToken);
        try
        {
            _listener.RecordObservableInstruments();
            List<InstrumentAggregator> aggregators;
            lock (_aggregators)
            {
                aggregators = [.. _aggregators];
            }
            var text = new StringBuilder(16 * 1024);
            foreach (var family in aggregators.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var first = family.First();
                var series = family.SelectMany(s => s.Series).GroupBy(s => s.Tags.LabelText, StringComparer.Ordinal).Select(g => g.First())
                    .OrderBy(s => s.Tags.LabelText, StringComparer.Ordinal).ToList();
                if (series.Count == 0)
                {
                    continue;
                }
                text.Append("# HELP ").Append(first.Name).Append(' ').Append(PrometheusNaming.EscapeHelp(first.Help)).Append('\n');
                text.Append("# TYPE ").Append(first.Name).Append(' ').Append(TypeName(first.Kind)).Append('\n');
                foreach (var one in series)
                {
                    if (first.Kind == MetricKind.Histogram)
                    {
                        WriteHistogram(text, first.Name, first.Bounds, one);
                    }
                    else
                    {
                        text.Append(first.Name).Append(one.Tags.LabelText).Append(' ').Append(Format(one.Value)).Append('\n');
                    }
                }
            }
            return text.ToString();
        }
        finally
        {
            _collectGate.Release();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _collectGate.Dispose();
    }

    // Meters from this host's factory only (tests run several hosts in one process), plus the
    // runtime's process-wide meter.
    private static bool IsOurs(Meter meter, IMeterFactory meterFactory) =>
        MeterNames.Contains(meter.Name, StringComparer.Ordinal) && (ReferenceEquals(meter.Scope, meterFactory) || meter.Name == "System.Runtime");

    // The runtime declares these as ObservableCounter although they go up and down.
    private static readonly string[] GaugesDeclaredAsCounters = ["dotnet.thread_pool.thread.count", "dotnet.thread_pool.queue.length"];

    private static InstrumentAggregator? StreamFor(Instrument instrument)
    {
        if (GaugesDeclaredAsCounters.Contains(instrument.Name, StringComparer.Ordinal))
        {
            return new InstrumentAggregator(instrument, MetricKind.Gauge, keepsLastValue: true, []);
        }
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        if (definition == typeof(Counter<>))
        {
            return new InstrumentAggregator(instrument, MetricKind.Counter, keepsLastValue: false, []);
        }
        if (definition == typeof(ObservableCounter<>))
        {
            return new InstrumentAggregator(instrument, MetricKind.Counter, keepsLastValue: true, []);
        }
        if (definition == typeof(UpDownCounter<>))
        {
            return new InstrumentAggregator(instrument, MetricKind.Gauge, keepsLastValue: false, []);
        }
        if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>))
        {
            return new InstrumentAggregator(instrument, MetricKind.Gauge, keepsLastValue: true, []);
        }
        if (definition == typeof(Histogram<>))
        {
            return new InstrumentAggregator(instrument, MetricKind.Histogram, keepsLastValue: false, instrument.Unit == "s" ? LatencyBounds : AdvisedBounds(instrument));
        }
        return null;
    }

    private static double[] AdvisedBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        _ => DefaultBounds,
    };

    private static void WriteHistogram(StringBuilder text, string name, double[] bounds, MetricSeries series)
    {
        var buckets = series.SnapshotBuckets();
        var labels = series.Tags.LabelText;
        var prefix = labels.Length == 0 ? "{" : string.Concat(labels.AsSpan(0, labels.Length - 1), ",");
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += buckets[i];
            var le = i < bounds.Length ? Format(bounds[i]) : "+Inf";
            text.Append(name).Append("_bucket").Append(prefix).Append("le=\"").Append(le).Append("\"} ").Append(cumulative).Append('\n');
        }
        text.Append(name).Append("_sum").Append(labels).Append(' ').Append(Format(series.Sum)).Append('\n');
        text.Append(name).Append("_count").Append(labels).Append(' ').Append(cumulative).Append('\n');
    }

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
