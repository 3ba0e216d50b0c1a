using System.Globalization;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>model/parity.csv: inputs with scikit-learn's own predictions, written by model/train.py.</summary>
public static class Parity
{
    public static readonly IReadOnlyList<ParityRow> Rows = Load();

    private static List<ParityRow> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "parity.csv"));
        return lines.Skip(1).Select(line =>
        {
            var values = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return new ParityRow(values[..6], values[6]);
        }).ToList();
    }
}

public sealed record ParityRow(double[] Features, double Prediction);
