namespace Appraise.Api.Model;

/// <summary>
/// The values the model accepts for each feature, from the model file's <c>feature_ranges</c>:
/// the training data's plausible span, written down once where the model is.
/// </summary>
public sealed class FeatureRanges
{
    private readonly double[] _minimum;
    private readonly double[] _maximum;

    public FeatureRanges(double[] minimum, double[] maximum)
    {
        if (minimum.Length != HousingFeatures.Count || maximum.Length != HousingFeatures.Count)
        {
            throw new ArgumentException($"Ranges are needed for all {HousingFeatures.Count} features.", nameof(minimum));
        }
        _minimum = minimum;
        _maximum = maximum;
    }

    public double Minimum(int index) => _minimum[index];

    public double Maximum(int index) => _maximum[index];

    /// <summary>Why a value is not acceptable for a feature, or null when it is.</summary>
    public string? Problem(int index, double value)
    {
        var feature = HousingFeatures.All[index];
        if (!double.IsFinite(value))
        {
            return $"{feature.Name} must be a finite number.";
        }
        if (feature.IsBinary)
        {
            return value == _minimum[index] || value == _maximum[index]
                ? null
                : FormattableString.Invariant($"{feature.Name} must be {_minimum[index]} or {_maximum[index]}.");
        }
        return value < _minimum[index] || value > _maximum[index]
            ? FormattableString.Invariant($"{feature.Name} must be between {_minimum[index]} and {_maximum[index]}.")
            : null;
    }
}
