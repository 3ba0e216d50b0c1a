using System.Buffers;
using System.Text;
using Appraise.Api.Model;
using Appraise.Api.OpenInference;
using Appraise.Api.Predictions;
using BenchmarkDotNet.Attributes;

namespace Appraise.Benchmarks;

/// <summary>Request bodies as they arrive: seed 000's prediction, seed 004's pandas columns and a v2 tensor.</summary>
public class ParsingBenchmarks
{
    private readonly ReadOnlySequence<byte> _prediction = new(Encoding.UTF8.GetBytes(
        """{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}"""));
    private readonly ReadOnlySequence<byte> _columnsOne = new(Houses.ColumnsJson(1));
    private readonly ReadOnlySequence<byte> _columnsHundred = new(Houses.ColumnsJson(100));
    private readonly ReadOnlySequence<byte> _inferHundred = new(Houses.InferJson(100));
    private readonly FeatureSchema _ranges = EmbeddedModel.Load().Features;

    [Benchmark(Description = "parse /api/v1/prediction body")]
    public ParsedPrediction Prediction() => PredictionRequestParser.Parse(_prediction, _ranges);

    [Benchmark(Description = "parse /predict body, 1 row")]
    public ParsedBatch ColumnsOne() => ColumnsBatchParser.Parse(_columnsOne, _ranges);

    [Benchmark(Description = "parse /predict body, 100 rows")]
    public ParsedBatch ColumnsHundred() => ColumnsBatchParser.Parse(_columnsHundred, _ranges);

    [Benchmark(Description = "parse v2 infer body, 100 rows (FP32 JSON)")]
    public InferRequest InferHundred() => InferRequestReader.Read(_inferHundred, ReadOnlySequence<byte>.Empty, 1_000_000);
}
