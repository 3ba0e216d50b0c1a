using System.Runtime;
using Appraise.Api.Hosting;
using Appraise.Api.Metrics;
using Appraise.Api.Model.Storage;
using Appraise.Api.Trees;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Model;

/// <summary>
/// Keeps the <see cref="ModelRegistry"/> in step with the model source. At start the source is
/// listed and Model:Default resolved (a setting that cannot work stops start-up); versions then
/// load in parallel while the server already answers (readiness says when the default is in).
/// Afterwards the source is polled: a new version, or a version whose files changed, loads once
/// its files have stayed the same for one poll (a copy in progress is not read), and serves only
/// after it loaded and passed its own check; a file that fails is logged once, counted, and the
/// version it replaces keeps serving; a version that disappears stops serving. The repository
/// API's load and unload go through the same steps (<see cref="LoadAsync"/>, <see cref="UnloadAsync"/>).
/// </summary>
public sealed partial class ModelRepository(
    ModelRegistry registry,
    IOptions<ModelOptions> options,
    AppraiseMetrics metrics,
    TimeProvider time,
    ILogger<ModelRepository> logger) : IHostedLifecycleService, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Dictionary<(string Model, long Version), VersionState> _states = [];
    private readonly HashSet<string> _unloaded = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private IModelSource _source = null!;
    private Task _loop = Task.CompletedTask;

    /// <summary>Whether the first load of the source has finished (whatever its outcome).</summary>
    public bool InitialLoadDone { get; private set; }

    public string SourceDescription => _source.Description;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        _source = CreateSource(options.Value);
        // Storage may be away at start: a remote repository names its default model and is looked
        // at by the loop, which keeps trying (not ready until the default serves).
        var candidates = _source.MayBeAwayAtStart ? [] : await _source.ListAsync(cancellationToken);
        registry.SetDefault(ResolveDefault(options.Value, candidates));
        if (!_source.Changes)
        {
            // The embedded model: a build that cannot load it cannot serve.
            await SyncAsync(settled: false, cancellationToken);
            var failure = _states.Values.FirstOrDefault(s => s.Failure is not null)?.Failure;
            if (failure is not null)
            {
                throw new InvalidModelException(failure);
            }
            InitialLoadDone = true;
            return;
        }
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped while loading: nothing to keep.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        // Cancelled, not disposed (as BackgroundService.Dispose does with its own source): a host
        // can be stopped again after it was disposed, as a test host is by WebApplicationFactory
        // once the program's Run has stopped and disposed it, and StoppingAsync then cancels it
        // again. A source that never had a timer or a wait handle holds nothing to release.
        _stopping.Cancel();
        _turn.Dispose();
        (_source as IDisposable)?.Dispose();
    }

    /// <summary>Every version the source offers, with its state: what the repository index answers.</summary>
    public IReadOnlyList<VersionStatus> Index()
    {
        lock (_states)
        {
            return [.. _states.OrderBy(s => s.Key.Model, StringComparer.Ordinal).ThenBy(s => s.Key.Version).Select(s => new VersionStatus(
                s.Key.Model, s.Key.Version,
                registry.Find(s.Key.Model, s.Key.Version) is not null ? "READY" : _unloaded.Contains(s.Key.Model) ? "UNAVAILABLE" : s.Value.Failure is null ? "LOADING" : "UNAVAILABLE",
                _unloaded.Contains(s.Key.Model) ? "unloaded by request" : s.Value.Failure ?? ""))];
        }
    }

    /// <summary>The repository API's load: serves <paramref name="model"/> again and loads its versions now.</summary>
    public async Task<string?> LoadAsync(string model, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var candidates = (await _source.ListAsync(cancellationToken)).Where(c => c.Model == model).ToList();
            if (candidates.Count == 0)
            {
                return $"model {model} is not in the {_source.Description}";
            }
            lock (_states)
            {
                _unloaded.Remove(model);
                foreach (var candidate in candidates)
                {
                    _states.Remove((candidate.Model, candidate.Version));
                }
            }
            await LoadAllAsync(candidates, cancellationToken);
            return registry.Find(model, null) is null
                ? $"model {model} did not load: {Index().FirstOrDefault(s => s.Model == model && s.Reason.Length > 0)?.Reason}"
                : null;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>The repository API's unload: stops serving every version of <paramref name="model"/> until it is loaded again.</summary>
    public async Task<string?> UnloadAsync(string model, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var failure = StopServing(model);
            if (failure is null)
            {
                // After StopServing has returned: no frame of this method holds the versions any more.
                ReturnMemory();
            }
            return failure;
        }
        finally
        {
            _turn.Release();
        }
    }

    private string? StopServing(string model)
    {
        var versions = registry.Versions(model);
        if (versions.Count == 0 && !Index().Any(s => s.Model == model))
        {
            return $"model {model} is not loaded";
        }
        lock (_states)
        {
            _unloaded.Add(model);
        }
        foreach (var version in versions)
        {
            Remove(version.Name, version.Version, "unloaded by request");
        }
        return null;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var first = true;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var failed = false;
            try
            {
                await _turn.WaitAsync(cancellationToken);
                try
                {
                    await SyncAsync(settled: !first, cancellationToken);
                }
                finally
                {
                    _turn.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed = true;
                metrics.ModelSourceError(e is ModelSourceException storage ? storage.Reason : "unreadable");
                LogSourceUnreadable(_source.Description, e.Message);
            }
            if (first)
            {
                first = false;
                InitialLoadDone = true;
            }
            // Backoff while the source fails: the poll interval doubled per failure in a row, up to
            // 64 times or five minutes, whichever is less; back to the interval after a good look.
            failures = failed ? failures + 1 : 0;
            var interval = options.Value.PollInterval;
            var delay = failures == 0 ? interval : TimeSpan.FromTicks(Math.Min(interval.Ticks << Math.Min(failures, 6), Math.Max(interval.Ticks, TimeSpan.FromMinutes(5).Ticks)));
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One look at the source. With <paramref name="settled"/>, a new or changed version loads only
    /// when its fingerprint is the one seen at the previous look (its files stopped changing).
    /// </summary>
    private async Task SyncAsync(bool settled, CancellationToken cancellationToken)
    {
        var candidates = await _source.ListAsync(cancellationToken);
        var offered = candidates.Select(c => (c.Model, c.Version)).ToHashSet();
        foreach (var served in registry.All().Where(m => !offered.Contains((m.Name, m.Version))))
        {
            Remove(served.Name, served.Version, "its files are gone from the source");
        }
        var toLoad = new List<VersionCandidate>();
        lock (_states)
        {
            foreach (var gone in _states.Keys.Where(k => !offered.Contains(k)).ToList())
            {
                _states.Remove(gone);
            }
            foreach (var candidate in candidates.Where(c => !_unloaded.Contains(c.Model)))
            {
                var key = (candidate.Model, candidate.Version);
                var state = _states.GetValueOrDefault(key) ?? new VersionState();
                _states[key] = state;
                if (state.Attempted == candidate.Fingerprint)
                {
                    continue;
                }
                if (settled && state.Seen != candidate.Fingerprint)
                {
                    state.Seen = candidate.Fingerprint;
                    continue;
                }
                toLoad.Add(candidate);
            }
        }
        await LoadAllAsync(toLoad, cancellationToken);
    }

    private async Task LoadAllAsync(List<VersionCandidate> candidates, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(candidates, parallel, async (candidate, token) => await LoadOneAsync(candidate, token));
        if (candidates.Count > 0)
        {
            // Reading a file leaves garbage several times its size (the bytes, the protobuf
            // objects); returned now, the process's memory is the models' own between loads.
            ReturnMemory();
        }
    }

    private async Task LoadOneAsync(VersionCandidate candidate, CancellationToken cancellationToken)
    {
        var key = (candidate.Model, candidate.Version);
        string? failure = null;
        try
        {
            var files = await _source.ReadAsync(candidate, options.Value.MaxFileBytes, cancellationToken);
            var model = ModelBuilder.Build(candidate, files, time.GetUtcNow());
            var replaced = registry.Find(candidate.Model, candidate.Version);
            registry.Publish(model);
            metrics.ModelLoad(candidate.Model, "loaded");
            LogLoaded(model.Name, model.VersionText, model.Ensemble.TreeCount, model.Sha256[..12], replaced is null ? "serving" : "serving in place of the previous file");
        }
        catch (ModelSourceException e)
        {
            // The storage, not the file: nothing is decided about this version; the next look tries it again.
            metrics.ModelSourceError(e.Reason);
            LogSourceUnreadable(_source.Description, e.Message);
            return;
        }
        catch (Exception e) when (e is InvalidModelException or IOException or UnauthorizedAccessException)
        {
            failure = e.Message;
            metrics.ModelLoad(candidate.Model, "failed");
            var keeps = registry.Find(candidate.Model, candidate.Version) is not null ? "; the version loaded before keeps serving" : "";
            LogLoadFailed(candidate.Model, candidate.Version, candidate.Where, e.Message, keeps);
        }
        lock (_states)
        {
            var state = _states.GetValueOrDefault(key) ?? new VersionState();
            state.Attempted = candidate.Fingerprint;
            state.Seen = candidate.Fingerprint;
            state.Failure = failure;
            _states[key] = state;
        }
    }

    private void Remove(string model, long version, string why)
    {
        if (registry.Remove(model, version))
        {
            metrics.ModelLoad(model, "unloaded");
            LogUnloaded(model, version, why);
        }
    }

    /// <summary>A model's arrays live on the large-object heap: compact it once, so a load's garbage and an unloaded model's arrays are given back now.</summary>
    private static void ReturnMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>A repository in object storage: its URI and settings checked here, its reachability by the loop.</summary>
    private static ObjectStoreSource RemoteSource(ModelOptions options)
    {
        if (!Uri.TryCreate(options.Repository, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ConfigurationException("Model:Repository is not a valid URI: use https://<account>.blob.core.windows.net/<container>/<prefix> or s3://<bucket>/<prefix>.");
        }
        if (string.IsNullOrWhiteSpace(options.Default))
        {
            throw new ConfigurationException("Model:Repository is in object storage: set Model:Default to the model behind the seed endpoints (the storage may be away at start, so it cannot be found by listing).");
        }
        IObjectStore store = uri.Scheme == "s3"
            ? new S3Store(uri, options.S3ForcePathStyle)
            : new BlobStore(uri, options.StorageConnectionString);
        var cache = string.IsNullOrWhiteSpace(options.CacheDirectory)
            ? Path.Combine(Path.GetTempPath(), "appraise-model-cache")
            : Path.GetFullPath(options.CacheDirectory);
        try
        {
            Directory.CreateDirectory(cache);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Model:CacheDirectory '{cache}' cannot be created or written ({e.Message}): mount a writable volume there (an emptyDir).");
        }
        return new ObjectStoreSource(store, cache);
    }

    private static IModelSource CreateSource(ModelOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ConfigurationException(
                "Model:Path is retired: put the model in a repository directory as <model>/<version>/model.onnx and set Model:Repository to it (docs/models.md).");
        }
        if (string.IsNullOrWhiteSpace(options.Repository))
        {
            return new EmbeddedSource();
        }
        if (options.Repository.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || options.Repository.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || options.Repository.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return RemoteSource(options);
        }
        if (!Directory.Exists(options.Repository))
        {
            throw new ConfigurationException($"Model:Repository '{options.Repository}' is not a directory: mount the model repository there, or unset Model:Repository for the embedded model.");
        }
        return new DirectorySource(Path.GetFullPath(options.Repository));
    }

    private static string ResolveDefault(ModelOptions options, IReadOnlyList<VersionCandidate> candidates)
    {
        if (string.IsNullOrWhiteSpace(options.Repository))
        {
            if (options.Default is { Length: > 0 } named && named != EmbeddedSource.ModelName)
            {
                throw new ConfigurationException($"Model:Default is '{named}', but without Model:Repository the only model is the embedded '{EmbeddedSource.ModelName}'.");
            }
            return EmbeddedSource.ModelName;
        }
        if (options.Default is { Length: > 0 } name)
        {
            if (!DirectorySource.IsModelName(name))
            {
                throw new ConfigurationException($"Model:Default '{name}' is not a model name (letters, digits, '.', '_' and '-', up to 100).");
            }
            return name;
        }
        var names = candidates.Select(c => c.Model).Distinct(StringComparer.Ordinal).ToList();
        return names.Count switch
        {
            1 => names[0],
            0 => throw new ConfigurationException($"Model:Repository '{options.Repository}' holds no model (<model>/<version>/model.onnx) and Model:Default names none to wait for."),
            _ => throw new ConfigurationException($"Model:Repository holds {names.Count} models ({string.Join(", ", names.Take(5))}): set Model:Default to the one behind the seed endpoints."),
        };
    }

    private sealed class VersionState
    {
        public string? Seen { get; set; }

        public string? Attempted { get; set; }

        public string? Failure { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} loaded ({Trees} trees, sha256 {Sha256}): {What}")]
    private partial void LogLoaded(string model, string version, int trees, string sha256, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} ({Where}) cannot be served: {Reason}{Keeps}")]
    private partial void LogLoadFailed(string model, long version, string where, string reason, string keeps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} no longer served: {Why}")]
    private partial void LogUnloaded(string model, long version, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Source} cannot be read: {Reason}; the models already loaded keep serving")]
    private partial void LogSourceUnreadable(string source, string reason);
}

/// <summary>One line of the repository index: a version the source offers and whether it serves.</summary>
public sealed record VersionStatus(string Model, long Version, string State, string Reason);
