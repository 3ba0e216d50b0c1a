namespace Appraise.Api.Model;

/// <summary>
/// The six Boston housing features appraise predicts from, in the model's column order,
/// with the plausible range the API accepts for each.
/// </summary>
public static class HousingFeatures
{
    public const int Count = 6;

    public static readonly FeatureDefinition[] All =
    [
        new("CHAS", 0, 1, "Charles River dummy: 1 if the tract bounds the river, else 0.", IsBinary: true),
        new("RM", 1, 20, "Average number of rooms per dwelling."),
        new("TAX", 0, 2000, "Full-value property-tax rate per $10,000."),
        new("PTRATIO", 1, 100, "Pupil-teacher ratio by town."),
        new("B", 0, 400, "1000(Bk - 0.63)^2, Bk the proportion of Black residents by town."),
        new("LSTAT", 0, 100, "Percentage of lower-status population."),
    ];

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

    /// <summary>Why a value is not acceptable for a feature, or null when it is.</summary>
    public static string? Problem(int index, double value)
    {
        var feature = All[index];
        if (!double.IsFinite(value))
        {
            return $"{feature.Name} must be a finite number.";
        }
        if (feature.IsBinary)
        {
            return value is 0 or 1 ? null : $"{feature.Name} must be 0 or 1.";
        }
        return value < feature.Minimum || value > feature.Maximum
            ? FormattableString.Invariant($"{feature.Name} must be between {feature.Minimum} and {feature.Maximum}.")
            : null;
    }
}
