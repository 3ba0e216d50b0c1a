using Appraise.Api.Model;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Appraise.Benchmarks;

/// <summary>
/// appraise's evaluator against ONNX Runtime 1.32.0 on the same model file (the embedded
/// model/housing/1/model.onnx), 1 and 100 rows: what a request's model time costs in each. ONNX
/// Runtime runs with one intra-op thread, as a request would get on a pod's two cores; its
/// inputs and outputs are bound once (OrtValue over pinned arrays), so only the run is measured.
/// </summary>
public class OnnxRuntimeBenchmarks : IDisposable
{
    private readonly ServedModel _model = EmbeddedModel.Load();
    private readonly double[] _one = Houses.Rows(1);
    private readonly double[] _hundred = Houses.Rows(100);
    private readonly double[] _predictions = new double[100];
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue _oneInput;
    private readonly OrtValue _hundredInput;
    private readonly OrtValue _oneOutput;
    private readonly OrtValue _hundredOutput;

    public OnnxRuntimeBenchmarks()
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(EmbeddedModel.File(), options);
        _oneInput = OrtValue.CreateTensorValueFromMemory(_one, [1, 6]);
        _hundredInput = OrtValue.CreateTensorValueFromMemory(_hundred, [100, 6]);
        _oneOutput = OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1]);
        _hundredOutput = OrtValue.CreateTensorValueFromMemory(new float[100], [100, 1]);
    }

    [Benchmark(Description = "appraise, 1 row")]
    public double AppraiseOne() => _model.PredictNumber(_one);

    [Benchmark(Description = "ONNX Runtime, 1 row")]
    public void OnnxRuntimeOne() => _session.Run(_run, ["X"], [_oneInput], ["variable"], [_oneOutput]);

    [Benchmark(Description = "appraise, 100 rows")]
    public double AppraiseHundred()
    {
        _model.PredictNumbers(_hundred, _predictions);
        return _predictions[99];
    }

    [Benchmark(Description = "ONNX Runtime, 100 rows")]
    public void OnnxRuntimeHundred() => _session.Run(_run, ["X"], [_hundredInput], ["variable"], [_hundredOutput]);

    public void Dispose()
    {
        _oneInput.Dispose();
        _hundredInput.Dispose();
        _oneOutput.Dispose();
        _hundredOutput.Dispose();
        _run.Dispose();
        _session.Dispose();
        GC.SuppressFinalize(this);
    }
}
