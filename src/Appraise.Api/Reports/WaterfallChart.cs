using System.Globalization;
using System.Security;
using System.Text;
using Appraise.Api.Model;

namespace Appraise.Api.Reports;

/// <summary>
/// Draws a report as a horizontal waterfall in SVG: the model's baseline, then each feature's
/// contribution (largest first) as a bar from the running total, then the prediction. Plain
/// presentation attributes only, so it renders under a strict Content-Security-Policy.
/// </summary>
public static class WaterfallChart
{
    private const int Width = 760;
    private const int RowHeight = 34;
    private const int LabelWidth = 190;
    private const int ValueWidth = 90;
    private const int Top = 64;
    private const int Bottom = 44;
    private const string Up = "#2e8b57";
    private const string Down = "#c0392b";
    private const string Total = "#4a6fa5";

    /// <summary>A completed report's waterfall; <paramref name="names"/> are its model's columns.</summary>
    public static string Render(Report report, IReadOnlyList<string> names, string? unit)
    {
        var explanation = report.Explanation ?? throw new ArgumentException("Only a completed report has a chart.", nameof(report));
        return Render(names, report.Features, explanation, report.PredictedValue, $"Report {report.Id} · model {report.ModelVersion}{Unit(unit)}");
    }

    /// <summary>The caption line of an explanation chart: what answered, and the unit of the values.</summary>
    public static string Caption(ServedModel model, string what) => $"{what}{Unit(model.Settings.Target?.Unit)}";

    /// <summary>The waterfall for any explained prediction; <paramref name="caption"/> is the line under the title.</summary>
    public static string Render(IReadOnlyList<string> names, double[] features, ReportExplanation explanation, double prediction, string caption)
    {
        var steps = names
            .Select((name, i) => (Label: $"{name} = {Number(features[i])}", Value: explanation.Contributions[i]))
            .OrderByDescending(s => Math.Abs(s.Value))
            .ToList();

        var totals = new List<double> { explanation.Baseline };
        foreach (var step in steps)
        {
            totals.Add(totals[^1] + step.Value);
        }
        var low = Math.Min(0, totals.Min());
        var high = Math.Max(totals.Max(), prediction) * 1.05;
        var plotLeft = LabelWidth;
        var plotWidth = Width - LabelWidth - ValueWidth;
        double X(double value) => plotLeft + ((value - low) / (high - low) * plotWidth);

        var rows = steps.Count + 2;
        var height = Top + (rows * RowHeight) + Bottom;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" viewBox="0 0 {Width} {height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13" role="img" aria-label="Waterfall chart: from the baseline of {Number(explanation.Baseline)}, each feature's contribution, to the prediction of {Number(prediction)}">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{height}" fill="#ffffff"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="16" y="28" font-size="17" font-weight="bold" fill="#222222">Why the prediction is {Number(prediction)}</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="16" y="48" fill="#666666">{Escape(caption)}</text>""").Append('\n');

        Bar(svg, 0, "Baseline (the average)", X(low), X(explanation.Baseline), Total, Number(explanation.Baseline));
        for (var i = 0; i < steps.Count; i++)
        {
            var (from, to) = (totals[i], totals[i + 1]);
            var sign = steps[i].Value >= 0 ? "+" : "−";
            Bar(svg, i + 1, steps[i].Label, X(Math.Min(from, to)), X(Math.Max(from, to)), steps[i].Value >= 0 ? Up : Down, $"{sign}{Number(Math.Abs(steps[i].Value))}");
            Connector(svg, i, X(from));
        }
        Connector(svg, steps.Count, X(totals[^1]));
        Bar(svg, rows - 1, "Prediction", X(low), X(prediction), Total, Number(prediction));

        var axisY = Top + (rows * RowHeight) + 6;
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{plotLeft}" y1="{axisY}" x2="{plotLeft + plotWidth}" y2="{axisY}" stroke="#999999"/>""").Append('\n');
        foreach (var tick in Ticks(low, high))
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{X(tick):0.#}" y1="{axisY}" x2="{X(tick):0.#}" y2="{axisY + 5}" stroke="#999999"/><text x="{X(tick):0.#}" y="{axisY + 19}" text-anchor="middle" fill="#666666">{Number(tick)}</text>""").Append('\n');
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static void Bar(StringBuilder svg, int row, string label, double x1, double x2, string color, string value)
    {
        var y = Top + (row * RowHeight);
        var width = Math.Max(1.5, x2 - x1);
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth - 10}" y="{y + 21}" text-anchor="end" fill="#222222">{Escape(label)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x1:0.#}" y="{y + 6}" width="{width:0.#}" height="{RowHeight - 12}" rx="3" fill="{color}"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x1 + width + 6:0.#}" y="{y + 21}" fill="#222222">{Escape(value)}</text>""").Append('\n');
    }

    private static void Connector(StringBuilder svg, int row, double x)
    {
        var y = Top + (row * RowHeight) + RowHeight - 6;
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="{y}" x2="{x:0.#}" y2="{y + 12}" stroke="#888888" stroke-dasharray="3,2"/>""").Append('\n');
    }

    private static IEnumerable<double> Ticks(double low, double high)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10((high - low) / 4)));
        step *= (high - low) / step > 20 ? 5 : (high - low) / step > 8 ? 2 : 1;
        for (var tick = Math.Ceiling(low / step) * step; tick <= high; tick += step)
        {
            yield return tick;
        }
    }

    private static string Unit(string? unit) => string.IsNullOrWhiteSpace(unit) ? "" : $" · values in {unit}";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
