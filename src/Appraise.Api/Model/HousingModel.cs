namespace Appraise.Api.Model;

/// <summary>
/// Gradient-boosted regression trees, evaluated exactly as scikit-learn does: features are
/// compared as float32 against float64 thresholds, and stages are summed in order onto the
/// initial value. All trees live in flat arrays so inference allocates nothing.
/// </summary>
public sealed class HousingModel
{
    private readonly int[] _roots;
    private readonly int[] _feature;
    private readonly double[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _value;
    private readonly double _initValue;
    private readonly double _learningRate;
    private readonly CompleteTrees? _complete;

    internal HousingModel(ModelDocument document, FeatureRanges ranges, int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] value)
    {
        Document = document;
        Ranges = ranges;
        _roots = roots;
        _feature = feature;
        _threshold = threshold;
        _left = left;
        _right = right;
        _value = value;
        _initValue = document.InitValue;
        _learningRate = document.LearningRate;
        _complete = CompleteTrees.TryBuild(document);
        Baseline = ComputeBaseline();
    }

    public ModelDocument Document { get; }

    /// <summary>The values the API accepts for each feature, from the model file.</summary>
    public FeatureRanges Ranges { get; }

    public string Version => Document.ModelVersion;

    public int TreeCount => _roots.Length;

    /// <summary>The prediction before any feature is looked at: the attribution starting point.</summary>
    public double Baseline { get; }

    /// <summary>Predicts one row of <see cref="HousingFeatures.Count"/> values, in $1000s.</summary>
    public double Predict(ReadOnlySpan<double> row)
    {
        if (row.Length != HousingFeatures.Count)
        {
            throw new ArgumentException($"A row has {HousingFeatures.Count} features.", nameof(row));
        }
        var sum = _initValue;
        foreach (var root in _roots)
        {
            sum += _learningRate * _value[Leaf(root, row)];
        }
        return sum;
    }

    /// <summary>
    /// Predicts consecutive rows (row-major) into <paramref name="predictions"/>: tree by tree over
    /// blocks of rows (<see cref="CompleteTrees"/>), with the same results as <see cref="Predict"/>.
    /// </summary>
    public void PredictMany(ReadOnlySpan<double> rows, Span<double> predictions)
    {
        if (rows.Length != predictions.Length * HousingFeatures.Count)
        {
            throw new ArgumentException("Rows and predictions differ in count.", nameof(predictions));
        }
        if (_complete is not null)
        {
            _complete.Predict(rows, predictions, _initValue);
            return;
        }
        for (var i = 0; i < predictions.Length; i++)
        {
            predictions[i] = Predict(rows.Slice(i * HousingFeatures.Count, HousingFeatures.Count));
        }
    }

    /// <summary>
    /// Path-based attribution (Saabas): every split on the way to a leaf moves the prediction by
    /// the difference between child and parent node values; that move is credited to the split's
    /// feature. Baseline plus the contributions equals the prediction.
    /// </summary>
    public void Explain(ReadOnlySpan<double> row, Span<double> contributions)
    {
        if (row.Length != HousingFeatures.Count || contributions.Length != HousingFeatures.Count)
        {
            throw new ArgumentException($"A row and its contributions have {HousingFeatures.Count} values each.", nameof(row));
        }
        contributions.Clear();
        foreach (var root in _roots)
        {
            var node = root;
            while (_feature[node] >= 0)
            {
                var next = Next(node, row);
                contributions[_feature[node]] += _learningRate * (_value[next] - _value[node]);
                node = next;
            }
        }
    }

    private int Leaf(int node, ReadOnlySpan<double> row)
    {
        while (_feature[node] >= 0)
        {
            node = Next(node, row);
        }
        return node;
    }

    // scikit-learn validates X as float32 before walking trees; the cast reproduces its comparisons.
    private int Next(int node, ReadOnlySpan<double> row) =>
        (float)row[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];

    private double ComputeBaseline()
    {
        var sum = _initValue;
        foreach (var root in _roots)
        {
            sum += _learningRate * _value[root];
        }
        return sum;
    }
}
