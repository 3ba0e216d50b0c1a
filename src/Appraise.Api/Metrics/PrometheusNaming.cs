using System.Text;

namespace Appraise.Api.Metrics;

/// <summary>
/// OpenTelemetry instrument names and units to Prometheus names, as the OpenTelemetry
/// specification's Prometheus compatibility rules describe: dots become underscores, the unit
/// becomes a suffix (<c>s</c> -> <c>_seconds</c>, <c>By</c> -> <c>_bytes</c>), counters end in <c>_total</c>.
/// </summary>
public static class PrometheusNaming
{
    public static string MetricName(string instrumentName, string? unit, MetricKind kind)
    {
        var name = Sanitize(instrumentName);
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith($"_{suffix}", StringComparison.Ordinal))
        {
            name = $"{name}_{suffix}";
        }
        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }
        // "_count" belongs to histograms in Prometheus; the runtime's gauges (dotnet.timer.count, ...) say "current".
        if (kind == MetricKind.Gauge && name.EndsWith("_count", StringComparison.Ordinal))
        {
            name = string.Concat(name.AsSpan(0, name.Length - "_count".Length), "_current");
        }
        return name;
    }

    public static string LabelName(string tagName) => Sanitize(tagName);

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "%" => "percent",
        // Annotations such as {request} describe what is counted; Prometheus leaves them out.
        _ when unit.StartsWith('{') => "",
        _ => Sanitize(unit),
    };

    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }
        return text.ToString();
    }
}
