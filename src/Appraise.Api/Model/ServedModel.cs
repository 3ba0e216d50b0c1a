using System.Buffers;
using Appraise.Api.Onnx;
using Appraise.Api.Trees;

namespace Appraise.Api.Model;

/// <summary>
/// One version of one model, loaded, checked and ready to answer: its graph and tree ensemble,
/// its description and the columns it reads. Immutable: a new file makes a new instance.
/// </summary>
public sealed class ServedModel
{
    public required string Name { get; init; }

    public required long Version { get; init; }

    public required OnnxTreeModel Onnx { get; init; }

    public required ModelSettings Settings { get; init; }

    public required FeatureSchema Features { get; init; }

    /// <summary>The model file's SHA-256, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public required long FileBytes { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }

    public TreeEnsemble Ensemble => Onnx.Ensemble;

    public string VersionText => Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"name/version": what the seed endpoints and reports call the model that answered.</summary>
    public string Label => $"{Name}/{VersionText}";

    /// <summary>Whether the seed endpoints can answer with it: one number per row (a single-target regressor, or int64 labels).</summary>
    public bool AnswersOneNumber => Ensemble.IsClassifier ? !Ensemble.Spec.Classes!.AreStrings : Ensemble.ScoreCount == 1;

    /// <summary>
    /// One number per row for the seed endpoints: a regressor's value in full precision, or a
    /// classifier's int64 label. <see cref="AnswersOneNumber"/> must hold.
    /// </summary>
    public void PredictNumbers(ReadOnlySpan<double> rows, Span<double> predictions)
    {
        var count = predictions.Length;
        var scores = ArrayPool<float>.Shared.Rent(count * Ensemble.ScoreCount);
        var labels = Ensemble.IsClassifier ? ArrayPool<long>.Shared.Rent(count) : [];
        try
        {
            Ensemble.Evaluate(rows, scores, labels, Ensemble.IsClassifier ? [] : predictions);
            if (Ensemble.IsClassifier)
            {
                for (var i = 0; i < count; i++)
                {
                    predictions[i] = labels[i];
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            if (labels.Length > 0)
            {
                ArrayPool<long>.Shared.Return(labels);
            }
        }
    }

    public double PredictNumber(ReadOnlySpan<double> row)
    {
        Span<double> prediction = stackalloc double[1];
        PredictNumbers(row, prediction);
        return prediction[0];
    }

    /// <summary>Bytes the model's arrays hold, roughly: for the memory figure per loaded model.</summary>
    public long ApproximateBytes => (Ensemble.NodeCount * 64L) + FileBytes;
}
