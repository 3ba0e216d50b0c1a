using System.Globalization;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>Reads one sample from the Prometheus text format: the line that is exactly "name{labels} value".</summary>
public static class MetricText
{
    public static double? Value(string exposition, string series)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
