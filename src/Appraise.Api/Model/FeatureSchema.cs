using System.Globalization;
using System.Text;

namespace Appraise.Api.Model;

/// <summary>
/// The columns a model reads, in its column order: their names (what clients send), meaning,
/// unit, accepted values and a typical value. From the model's description; without one, the
/// columns are named after the graph input (<c>X_0</c>, <c>X_1</c>, ...) and only finiteness is checked.
/// </summary>
public sealed class FeatureSchema
{
    private readonly FeatureSettings[] _features;
    private readonly Dictionary<string, int> _index;

    private FeatureSchema(FeatureSettings[] features)
    {
        _features = features;
        _index = features.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        Names = [.. features.Select(f => f.Name)];
        Utf8Names = [.. features.Select(f => Encoding.UTF8.GetBytes(f.Name))];
        Typical = [.. features.Select(TypicalOf)];
        List = string.Join(", ", Names);
    }

    public int Count => _features.Length;

    public string[] Names { get; }

    /// <summary>The names as UTF-8, for comparing with JSON property names without decoding them.</summary>
    public byte[][] Utf8Names { get; }

    /// <summary>A typical value per column: the description's, else the middle of its range, else 0.</summary>
    public double[] Typical { get; }

    /// <summary>The names, comma-separated, for error messages.</summary>
    public string List { get; }

    public FeatureSettings this[int index] => _features[index];

    public static FeatureSchema From(ModelSettings settings, int featureCount, string inputName)
    {
        if (settings.Features is not { Length: > 0 } features)
        {
            return new FeatureSchema([.. Enumerable.Range(0, featureCount).Select(i => new FeatureSettings($"{inputName}_{i}"))]);
        }
        Require(features.Length == featureCount, $"its description lists {features.Length} features, but the model reads {featureCount}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            Require(!string.IsNullOrWhiteSpace(feature.Name) && feature.Name.Length <= 200, "a feature has no name (or one over 200 characters)");
            Require(names.Add(feature.Name), $"feature '{feature.Name}' is listed twice");
            Require(feature.Minimum is not { } min || double.IsFinite(min), $"feature '{feature.Name}' has a minimum that is not a finite number");
            Require(feature.Maximum is not { } max || double.IsFinite(max), $"feature '{feature.Name}' has a maximum that is not a finite number");
            Require(feature is not { Minimum: { } low, Maximum: { } high } || low < high, $"feature '{feature.Name}' has a minimum that is not below its maximum");
            Require(!feature.Binary || feature is { Minimum: not null, Maximum: not null }, $"binary feature '{feature.Name}' needs its two values as minimum and maximum");
            Require(feature.Typical is not { } typical || Problem(feature, typical) is null, $"feature '{feature.Name}' has a typical value it does not accept");
        }
        return new FeatureSchema(features);
    }

    /// <summary>The column of <paramref name="name"/> (exact, case-sensitive), or -1.</summary>
    public int IndexOf(string name) => _index.GetValueOrDefault(name, -1);

    /// <summary>Why <paramref name="value"/> is not acceptable for column <paramref name="index"/>, or null when it is.</summary>
    public string? Problem(int index, double value) => Problem(_features[index], value);

    private static string? Problem(FeatureSettings feature, double value)
    {
        if (!double.IsFinite(value))
        {
            return $"{feature.Name} must be a finite number.";
        }
        if (feature.Binary)
        {
            return value == feature.Minimum || value == feature.Maximum
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"{feature.Name} must be {feature.Minimum} or {feature.Maximum}.");
        }
        return (feature.Minimum, feature.Maximum) switch
        {
            ({ } min, { } max) when value < min || value > max => string.Create(CultureInfo.InvariantCulture, $"{feature.Name} must be between {min} and {max}."),
            ({ } min, null) when value < min => string.Create(CultureInfo.InvariantCulture, $"{feature.Name} must be at least {min}."),
            (null, { } max) when value > max => string.Create(CultureInfo.InvariantCulture, $"{feature.Name} must be at most {max}."),
            _ => null,
        };
    }

    private static double TypicalOf(FeatureSettings feature) => feature switch
    {
        { Typical: { } typical } => typical,
        { Binary: true, Minimum: { } min } => min,
        { Minimum: { } min, Maximum: { } max } => min + ((max - min) / 2),
        { Minimum: { } min } => min,
        { Maximum: { } max } => max,
        _ => 0,
    };

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new Trees.InvalidModelException(problem);
        }
    }
}
