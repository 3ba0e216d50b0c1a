using System.Diagnostics.Metrics;

namespace Appraise.Api.Metrics;

/// <summary>appraise's own instruments: predictions, invalid keys, report jobs and the queue.</summary>
public sealed class AppraiseMetrics
{
    public const string MeterName = "Appraise";

    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _predictionDuration;
    private readonly Counter<long> _invalidApiKeys;
    private readonly Counter<long> _reportJobs;
    private readonly Histogram<double> _reportCompletion;
    private readonly Histogram<double> _storeDuration;
    private ReportQueueSnapshot _queue = ReportQueueSnapshot.Empty;

    private readonly Counter<long> _modelLoads;
    private readonly Counter<long> _modelSourceErrors;

    public AppraiseMetrics(IMeterFactory meterFactory, About.ServiceInfo service, Reports.ReportStoreStatus store, Model.ModelRegistry models)
    {
        var meter = meterFactory.Create(MeterName);
        _predictions = meter.CreateCounter<long>("appraise.predictions", "{prediction}", "Rows predicted, by endpoint, model and version.");
        _predictionDuration = meter.CreateHistogram<double>("appraise.prediction.duration", "s", "Time spent in the model per request, by endpoint, model and version.");
        _modelLoads = meter.CreateCounter<long>("appraise.model.loads", "{load}",
            "Model versions loaded, refused (failed: the previous file keeps serving) and unloaded, by model and outcome.");
        _modelSourceErrors = meter.CreateCounter<long>("appraise.model.source.errors", "{error}",
            "Looks at the model repository's storage that failed, by reason: unreachable, forbidden, not_found, changed. The loaded models keep serving.");
        meter.CreateObservableGauge("appraise.model.served", () => models.All().Select(m => new Measurement<int>(1,
            new KeyValuePair<string, object?>("model", m.Name), new KeyValuePair<string, object?>("version", m.VersionText))),
            description: "1 for each model version being served.");
        meter.CreateObservableGauge("appraise.model.default_ready", () => models.Default is null ? 0 : 1,
            description: "Whether the default model (the seed endpoints', readiness') is loaded.");
        _invalidApiKeys = meter.CreateCounter<long>("appraise.auth.invalid_api_keys", "{request}", "Requests refused with 418 for a missing or wrong API key.");
        _reportJobs = meter.CreateCounter<long>("appraise.reports.jobs", "{job}",
            "Report jobs by outcome: accepted, completed, retried, failed, duplicate (finished by another worker first).");
        _storeDuration = meter.CreateHistogram<double>("appraise.reports.store.duration", "s", "Report store operations by operation: enqueue, claim, complete.");
        _reportCompletion = meter.CreateHistogram<double>("appraise.reports.completion.duration", "s", "Time from a report being accepted to it being finished.");
        meter.CreateObservableGauge("appraise.reports.queue.depth", () => new Measurement<long>[]
        {
            new(Volatile.Read(ref _queue).Queued, new KeyValuePair<string, object?>("state", "queued")),
            new(Volatile.Read(ref _queue).Running, new KeyValuePair<string, object?>("state", "running")),
        }, "{job}", "Report jobs waiting or being produced.");
        meter.CreateObservableGauge("appraise.reports.queue.oldest_age", () => Volatile.Read(ref _queue).OldestQueuedAge.TotalSeconds, "s",
            "Age of the oldest report job still waiting (0 when none waits).");
        meter.CreateObservableGauge("appraise.reports.store.up", () => store.IsUp ? 1 : 0, description:
            "Whether the report store is reachable with its schema in place (1) or reports are refused with 503 (0).");
        meter.CreateObservableGauge("appraise.build.info", () => new Measurement<int>(1,
            new KeyValuePair<string, object?>("version", service.Version),
            new KeyValuePair<string, object?>("commit", service.Commit),
            new KeyValuePair<string, object?>("model_version", service.ModelVersion)), description: "Always 1; labels carry the running version, commit and model.");
    }

    public void Predicted(string endpoint, Model.ServedModel model, int rows, TimeSpan elapsed)
    {
        var endpointTag = new KeyValuePair<string, object?>("endpoint", endpoint);
        var modelTag = new KeyValuePair<string, object?>("model", model.Name);
        var versionTag = new KeyValuePair<string, object?>("version", model.VersionText);
        _predictions.Add(rows, endpointTag, modelTag, versionTag);
        _predictionDuration.Record(elapsed.TotalSeconds, endpointTag, modelTag, versionTag);
    }

    public void ModelSourceError(string reason) => _modelSourceErrors.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ModelLoad(string model, string outcome) =>
        _modelLoads.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", outcome));

    public void InvalidApiKey() => _invalidApiKeys.Add(1);

    public void ReportJob(string outcome) => _reportJobs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void StoreOperation(string operation, TimeSpan elapsed) =>
        _storeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void ReportCompleted(TimeSpan sinceAccepted) => _reportCompletion.Record(sinceAccepted.TotalSeconds);

    public void QueueObserved(ReportQueueSnapshot snapshot) => Volatile.Write(ref _queue, snapshot);
}
