using System.Text;

namespace Appraise.Api.Model;

/// <summary>The six Boston housing features appraise predicts from, in the model's column order.</summary>
public static class HousingFeatures
{
    public const int Count = 6;

    /// <summary>Typical values are the first Boston housing row, the seeds' sample request.</summary>
    public static readonly FeatureDefinition[] All =
    [
        new("CHAS", "Charles River dummy: 1 if the tract bounds the river, else 0", "0 or 1", 0, IsBinary: true),
        new("RM", "Average number of rooms per dwelling", "rooms", 6.575),
        new("TAX", "Full-value property-tax rate", "$ per $10,000", 296),
        new("PTRATIO", "Pupil-teacher ratio by town", "pupils per teacher", 15.3),
        new("B", "1000(Bk - 0.63)², Bk the proportion of Black residents by town", "index", 396.9),
        new("LSTAT", "Lower-status share of the population", "%", 4.98),
    ];

    /// <summary>The names as UTF-8, for comparing with JSON property names without decoding them.</summary>
    public static readonly byte[][] Utf8Names = [.. All.Select(f => Encoding.UTF8.GetBytes(f.Name))];

    /// <summary>Column index of a feature name (exact, case-sensitive), or -1.</summary>
    public static int IndexOf(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < All.Length; i++)
        {
            if (name.SequenceEqual(All[i].Name))
            {
                return i;
            }
        }
        return -1;
    }
}
