using System.Globalization;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// Reads one sample from the Prometheus text format: the line that is exactly "name{labels} value"
/// (a series without labels may be written "name value" or "name{} value": both are the format).
/// </summary>
public static class MetricText
{
    public static double? Value(string exposition, string series)
    {
        string[] prefixes = series.EndsWith('}') ? [series + " "] : [series + " ", series + "{} "];
        foreach (var line in exposition.Split('\n'))
        {
            foreach (var prefix in prefixes.Where(p => line.StartsWith(p, StringComparison.Ordinal)))
            {
                return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
