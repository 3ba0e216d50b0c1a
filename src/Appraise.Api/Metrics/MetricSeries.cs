namespace Appraise.Api.Metrics;

/// <summary>One series of a stream: a running value, or histogram buckets. Updated lock-free.</summary>
public sealed class MetricSeries(TagSet tags, int bucketCount)
{
    private readonly long[] _buckets = new long[bucketCount];
    private double _value;
    private double _sum;

    public TagSet Tags { get; } = tags;

    public double Value => Volatile.Read(ref _value);

    public double Sum => Volatile.Read(ref _sum);

    public void Add(double delta) => AddDouble(ref _value, delta);

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Observe(double value, double[] bounds)
    {
        var bucket = 0;
        while (bucket < bounds.Length && value > bounds[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _buckets[bucket]);
        AddDouble(ref _sum, value);
    }

    /// <summary>Per-bucket counts (not cumulative); the last bucket is everything above the last bound.</summary>
    public long[] SnapshotBuckets()
    {
        var copy = new long[_buckets.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Interlocked.Read(ref _buckets[i]);
        }
        return copy;
    }

    private static void AddDouble(ref double target, double delta)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + delta, current);
            if (seen.Equals(current))
            {
                return;
            }
            current = seen;
        }
    }
}
