using System.Globalization;
using System.Text;

namespace Appraise.Benchmarks;

/// <summary>Plausible houses, the same on every run.</summary>
internal static class Houses
{
    private static readonly string[] Columns = ["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"];

    /// <summary>Row-major features in the model's order.</summary>
    public static double[] Rows(int count)
    {
        var random = new Random(7);
        var rows = new double[count * Columns.Length];
        for (var i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * Columns.Length, Columns.Length);
            row[0] = random.Next(2);
            row[1] = Math.Round(4 + (random.NextDouble() * 4.5), 3);
            row[2] = new[] { 222.0, 296, 307, 403, 666 }[random.Next(5)];
            row[3] = Math.Round(13 + (random.NextDouble() * 8), 1);
            row[4] = Math.Round(300 + (random.NextDouble() * 96.9), 2);
            row[5] = Math.Round(2 + (random.NextDouble() * 28), 2);
        }
        return rows;
    }

    /// <summary>The same rows as pandas' DataFrame.to_json() writes them: column by column.</summary>
    public static byte[] ColumnsJson(int count)
    {
        var rows = Rows(count);
        var json = new StringBuilder("{");
        for (var c = 0; c < Columns.Length; c++)
        {
            json.Append(c == 0 ? "" : ",").Append('"').Append(Columns[c]).Append("\":{");
            for (var i = 0; i < count; i++)
            {
                json.Append(i == 0 ? "" : ",").Append('"').Append(i).Append("\":")
                    .Append(rows[(i * Columns.Length) + c].ToString("R", CultureInfo.InvariantCulture));
            }
            json.Append('}');
        }
        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    /// <summary>The same rows as an Open Inference Protocol request: one [N, 6] FP32 tensor, flat data.</summary>
    public static byte[] InferJson(int count)
    {
        var values = Rows(count).Select(v => ((float)v).ToString("R", CultureInfo.InvariantCulture));
        return Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"X","shape":[{{count}},{{Columns.Length}}],"datatype":"FP32","data":[{{string.Join(",", values)}}]}]}""");
    }
}
