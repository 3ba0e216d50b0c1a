using System.Globalization;

namespace Appraise.Api.Reports;

/// <summary>Feature and contribution vectors as stored text: comma-separated round-trip doubles.</summary>
public static class NumberList
{
    public static string Format(double[] values) =>
        string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    public static double[] Parse(string text) =>
        text.Length == 0 ? [] : text.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}
