using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Appraise.Api.Metrics;

/// <summary>Everything recorded for one instrument, one series per distinct tag set.</summary>
public sealed class InstrumentAggregator
{
    // Protects the exporter from unbounded label values (route templates keep it small in practice).
    private const int MaxSeries = 2000;

    private readonly ConcurrentDictionary<TagSet, MetricSeries> _series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, MetricSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly bool _keepsLastValue;

    public InstrumentAggregator(Instrument instrument, MetricKind kind, bool keepsLastValue, double[] bounds)
    {
        Name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, kind);
        Help = instrument.Description ?? instrument.Name;
        Kind = kind;
        Bounds = bounds;
        _keepsLastValue = keepsLastValue;
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public string Name { get; }

    public string Help { get; }

    public MetricKind Kind { get; }

    public double[] Bounds { get; }

    public IEnumerable<MetricSeries> Series => _series.Values;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_lookup.TryGetValue(tags, out var series))
        {
            if (_series.Count >= MaxSeries)
            {
                return;
            }
            var tagSet = new TagSet(tags);
            series = _series.GetOrAdd(tagSet, new MetricSeries(tagSet, Bounds.Length + 1));
        }
        if (Kind == MetricKind.Histogram)
        {
            series.Observe(value, Bounds);
        }
        else if (_keepsLastValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }
}
