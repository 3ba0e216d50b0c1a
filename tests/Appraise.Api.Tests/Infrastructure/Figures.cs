namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// Measurements a test prints for people to read (and tests/run.sh to show): written to the
/// test output and appended to $APPRAISE_FIGURES (or the temp directory)/figures.txt.
/// </summary>
public static class Figures
{
    public static void Record(ITestOutputHelper output, string test, string figures)
    {
        var line = $"{test}: {figures}";
        output.WriteLine(line);
        var directory = Environment.GetEnvironmentVariable("APPRAISE_FIGURES") ?? Path.GetTempPath();
        lock (typeof(Figures))
        {
            File.AppendAllText(Path.Combine(directory, "figures.txt"), line + Environment.NewLine);
        }
    }

    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
