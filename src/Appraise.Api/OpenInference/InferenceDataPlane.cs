using System.Diagnostics;
using System.Globalization;
using Appraise.Api.About;
using Appraise.Api.Health;
using Appraise.Api.Metrics;
using Appraise.Api.Model;
using Appraise.Api.Onnx;
using Microsoft.Extensions.Options;

namespace Appraise.Api.OpenInference;

/// <summary>
/// The Open Inference Protocol's one data plane: server and model metadata, liveness, readiness
/// and inference, which the REST routes and the gRPC service only translate to and from. Rows
/// come either as one [N, F] tensor or as one [N] (or [N, 1]) tensor per named feature (MLServer's
/// "pd" content type); values are checked against the model's description (a missing value, JSON
/// null or NaN, is passed to the trees, which route it); the outputs are the graph's.
/// </summary>
public sealed class InferenceDataPlane(
    ModelRegistry models,
    ModelRepository repository,
    ShutdownState shutdown,
    AppraiseMetrics metrics,
    IOptions<InferenceOptions> options,
    IOptions<ModelOptions> modelOptions)
{
    public const string Platform = "onnx_onnxv1";

    public InferenceOptions Options => options.Value;

    /// <summary>The most values one request may carry: every row of the widest model appraise accepts.</summary>
    public long MaxValues => (long)options.Value.MaxRows * 100_000;

    public ServerMetadataResponse ServerMetadata() => new(ServiceInfo.Name, ServiceInfo.ReleaseVersion,
        modelOptions.Value.RepositoryApi ? ["binary_tensor_data", "model_repository"] : ["binary_tensor_data"]);

    /// <summary>Ready: the default model is in and the process is not draining (the same rule as /readyz).</summary>
    public bool ServerReady => models.Default is not null && !shutdown.IsDraining;

    /// <summary>Why the server is not ready, for the 503's error.</summary>
    public string NotReadyReason() => shutdown.IsDraining
        ? "the server is shutting down"
        : $"the default model {models.DefaultName} is not loaded yet";

    public ModelMetadataResponse ModelMetadata(string name, string? version)
    {
        var model = Find(name, version);
        var versions = models.Versions(name).Select(v => v.VersionText).ToArray();
        var onnx = model.Onnx;
        var outputs = onnx.Outputs.Select(o => new TensorMetadata(o.Name, Datatypes.Name(o.Type),
            o.Source == ModelOutputSource.Labels ? [-1] : [-1, model.Ensemble.ScoreCount])).ToArray();
        return new ModelMetadataResponse(name, versions, Platform,
            [new TensorMetadata(onnx.InputName, Datatypes.Name(onnx.InputType), [-1, model.Features.Count])], outputs);
    }

    /// <summary>Whether a model (or one of its versions) is ready; 404 for a model the repository does not have.</summary>
    public bool ModelReady(string name, string? version)
    {
        var wanted = ParseVersion(name, version);
        if (models.Find(name, wanted) is not null)
        {
            return !shutdown.IsDraining;
        }
        var known = repository.Index().Any(s => s.Model == name && (wanted is null || s.Version == wanted));
        return known ? false : throw Unknown(name, version);
    }

    public InferResult Infer(string name, string? version, InferRequest request, string endpoint)
    {
        var model = Find(name, version);
        if (shutdown.IsDraining)
        {
            throw InferenceException.NotReady("the server is shutting down");
        }
        var (rows, count) = Rows(model, request);
        var started = Stopwatch.GetTimestamp();
        var ensemble = model.Ensemble;
        var scores = new float[count * ensemble.ScoreCount];
        var labels = ensemble.IsClassifier ? new long[count] : [];
        var exact = ensemble.IsClassifier ? [] : new double[count];
        ensemble.Evaluate(rows, scores, labels, exact);
        metrics.Predicted(endpoint, model, count, Stopwatch.GetElapsedTime(started));
        return new InferResult(model.Name, model.VersionText, request.Id, Outputs(model, request, count, scores, labels));
    }

    /// <summary>The served model a route names; 404 for an unknown model or version, 503 while it is known but not loaded.</summary>
    private ServedModel Find(string name, string? version)
    {
        var wanted = ParseVersion(name, version);
        if (models.Find(name, wanted) is { } model)
        {
            return model;
        }
        var known = repository.Index().FirstOrDefault(s => s.Model == name && (wanted is null || s.Version == wanted));
        if (known is null)
        {
            throw Unknown(name, version);
        }
        throw InferenceException.NotReady($"model {name}{(version is null ? "" : $" version {version}")} is not ready ({(known.Reason.Length > 0 ? known.Reason : known.State.ToLowerInvariant())})");
    }

    private static long? ParseVersion(string name, string? version)
    {
        if (version is null)
        {
            return null;
        }
        return long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : throw Unknown(name, version);
    }

    private static InferenceException Unknown(string name, string? version) =>
        InferenceException.NotFound(version is null ? $"model {name} is unknown" : $"model {name} has no version {version}");

    /// <summary>The request's rows, row-major: one [N, F] tensor, or one [N] (or [N, 1]) tensor per feature.</summary>
    private (double[] Rows, int Count) Rows(ServedModel model, InferRequest request)
    {
        var features = model.Features;
        var byName = request.Inputs.Count > 1 || request.ContentType == "pd" || (request.Inputs.Count == 1 && features.IndexOf(request.Inputs[0].Name) >= 0 && features.Count == 1);
        double[] rows;
        int count;
        if (!byName)
        {
            var input = request.Inputs[0];
            if (input.Shape is not [var n, var f] || f != features.Count)
            {
                throw InferenceException.BadInput(string.Create(CultureInfo.InvariantCulture,
                    $"input {input.Name} has shape [{string.Join(", ", input.Shape)}]; model {model.Name} reads [N, {features.Count}] ({features.List}), or one [N] tensor per feature"));
            }
            count = RowCount(n);
            rows = input.Data;
        }
        else
        {
            (rows, count) = Columns(model, request.Inputs);
        }
        Check(model, rows, count);
        return (rows, count);
    }

    private (double[] Rows, int Count) Columns(ServedModel model, List<InferInput> inputs)
    {
        var features = model.Features;
        var columns = new InferInput?[features.Count];
        long? rows = null;
        foreach (var input in inputs)
        {
            var index = features.IndexOf(input.Name);
            if (index < 0)
            {
                throw InferenceException.BadInput($"input {input.Name} is not a feature of model {model.Name} ({features.List})");
            }
            if (columns[index] is not null)
            {
                throw InferenceException.BadInput($"input {input.Name} is given twice");
            }
            if (input.Shape is not ([_] or [_, 1]))
            {
                throw InferenceException.BadInput($"input {input.Name} is one feature: its shape must be [N] or [N, 1], not [{string.Join(", ", input.Shape)}]");
            }
            if (rows is { } n && n != input.Shape[0])
            {
                throw InferenceException.BadInput($"input {input.Name} has {input.Shape[0]} rows, the others {n}");
            }
            rows = input.Shape[0];
            columns[index] = input;
        }
        var missing = features.Names.Where((_, i) => columns[i] is null).ToList();
        if (missing.Count > 0)
        {
            throw InferenceException.BadInput($"model {model.Name} needs every feature: missing {string.Join(", ", missing)}");
        }
        var count = RowCount(rows!.Value);
        var flat = new double[count * features.Count];
        for (var c = 0; c < features.Count; c++)
        {
            var data = columns[c]!.Data;
            for (var r = 0; r < count; r++)
            {
                flat[(r * features.Count) + c] = data[r];
            }
        }
        return (flat, count);
    }

    private int RowCount(long rows) => rows >= 1 && rows <= options.Value.MaxRows
        ? (int)rows
        : throw InferenceException.BadInput(string.Create(CultureInfo.InvariantCulture, $"the request has {rows} rows; one request carries 1 to {options.Value.MaxRows} (Inference:MaxRows)"));

    /// <summary>Every value within the model's description; a missing value (NaN) goes to the trees, which route it.</summary>
    private static void Check(ServedModel model, double[] rows, int count)
    {
        var features = model.Features;
        var problems = new List<string>();
        for (var r = 0; r < count && problems.Count < 5; r++)
        {
            for (var c = 0; c < features.Count && problems.Count < 5; c++)
            {
                var value = rows[(r * features.Count) + c];
                if (!double.IsNaN(value) && features.Problem(c, value) is { } problem)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"row {r}: {problem.TrimEnd('.')}"));
                }
            }
        }
        if (problems.Count > 0)
        {
            throw InferenceException.BadInput(string.Join("; ", problems));
        }
    }

    private static List<OutputTensor> Outputs(ServedModel model, InferRequest request, int count, float[] scores, long[] labels)
    {
        var graph = model.Onnx.Outputs;
        var wanted = request.Outputs.Count == 0 ? graph.Select(o => new RequestedOutput(o.Name, null)).ToList() : request.Outputs;
        var outputs = new List<OutputTensor>(wanted.Count);
        foreach (var asked in wanted)
        {
            var output = graph.FirstOrDefault(o => o.Name == asked.Name)
                ?? throw InferenceException.BadInput($"model {model.Name} has no output {asked.Name} (it has {string.Join(", ", graph.Select(o => o.Name))})");
            outputs.Add(Tensor(model, output, asked.Binary ?? request.BinaryOutput, count, scores, labels));
        }
        return outputs;
    }

    private static OutputTensor Tensor(ServedModel model, ModelOutput output, bool binary, int count, float[] scores, long[] labels)
    {
        if (output.Source == ModelOutputSource.Scores)
        {
            long[] shape = [count, model.Ensemble.ScoreCount];
            return output.Type switch
            {
                TensorType.Fp64 => new OutputTensor(output.Name, output.Type, shape, binary) { Doubles = [.. scores.Select(s => (double)s)] },
                TensorType.Int64 or TensorType.Int32 => new OutputTensor(output.Name, output.Type, shape, binary) { Longs = [.. scores.Select(s => (long)s)] },
                _ => new OutputTensor(output.Name, TensorType.Fp32, shape, binary) { Floats = scores },
            };
        }
        var classes = model.Ensemble.Spec.Classes!;
        if (classes.AreStrings)
        {
            return new OutputTensor(output.Name, TensorType.Bytes, [count], binary) { Strings = [.. labels.Select(l => classes.Strings![l])] };
        }
        return output.Type switch
        {
            TensorType.Fp32 => new OutputTensor(output.Name, output.Type, [count], binary) { Floats = [.. labels.Select(l => (float)l)] },
            TensorType.Fp64 => new OutputTensor(output.Name, output.Type, [count], binary) { Doubles = [.. labels.Select(l => (double)l)] },
            _ => new OutputTensor(output.Name, output.Type, [count], binary) { Longs = labels },
        };
    }
}
