using Appraise.Api.Model;
using BenchmarkDotNet.Attributes;

namespace Appraise.Benchmarks;

/// <summary>The embedded model (300 trees): one prediction, batches of 100 and 1000 (tree by tree over row blocks), and a report's explanation.</summary>
public class InferenceBenchmarks
{
    private readonly ServedModel _model = EmbeddedModel.Load();
    private readonly double[] _row = [0, 6.575, 296.0, 15.3, 396.9, 4.98];
    private readonly double[] _rows = Houses.Rows(100);
    private readonly double[] _predictions = new double[100];
    private readonly double[] _thousandRows = Houses.Rows(1000);
    private readonly double[] _thousandPredictions = new double[1000];
    private readonly double[] _contributions = new double[6];

    [Benchmark(Description = "predict 1 row")]
    public double PredictOne() => _model.PredictNumber(_row);

    [Benchmark(Description = "predict 100 rows")]
    public double PredictHundred()
    {
        _model.PredictNumbers(_rows, _predictions);
        return _predictions[99];
    }

    [Benchmark(Description = "predict 1000 rows")]
    public double PredictThousand()
    {
        _model.PredictNumbers(_thousandRows, _thousandPredictions);
        return _thousandPredictions[999];
    }

    [Benchmark(Description = "explain 1 row (report)")]
    public double ExplainOne()
    {
        _model.Ensemble.Explain(_row, _contributions);
        return _contributions[0];
    }
}
