using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Appraise.Api.Trees;

namespace Appraise.Api.Model.Storage;

/// <summary>
/// A model repository in object storage, laid out as on disk (&lt;model&gt;/&lt;version&gt;/model.onnx,
/// model-settings.json beside the model and the version). A version's fingerprint is its objects'
/// ETags. Its model file is synced into a local cache directory by ETag: downloaded whole, its size
/// checked, written under a temporary name and renamed into place, so the cache only ever holds
/// whole files; a file already there for that ETag is not downloaded again (a restart with the same
/// cache, an unload and a load). The declared sha256 is checked by <see cref="ModelBuilder"/> before
/// the version serves.
/// </summary>
public sealed class ObjectStoreSource(IObjectStore store, string cacheDirectory) : IModelSource, IDisposable
{
    private const long MaxSettingsBytes = 1024 * 1024;
    private readonly ConcurrentDictionary<string, StoredObject> _listed = new(StringComparer.Ordinal);

    public string Description => store.Description;

    public bool Changes => true;

    public bool MayBeAwayAtStart => true;

    public async Task<IReadOnlyList<VersionCandidate>> ListAsync(CancellationToken cancellationToken)
    {
        var objects = await store.ListAsync(cancellationToken);
        var byKey = objects.ToDictionary(o => o.Key, StringComparer.Ordinal);
        foreach (var stale in _listed.Keys.Where(k => !byKey.ContainsKey(k)))
        {
            _listed.TryRemove(stale, out _);
        }
        foreach (var stored in objects)
        {
            _listed[stored.Key] = stored;
        }
        var found = new List<VersionCandidate>();
        foreach (var stored in objects)
        {
            var parts = stored.Key.Split('/');
            if (parts is not [var model, var versionText, DirectorySource.ModelFile] || !DirectorySource.IsModelName(model)
                || !long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
            {
                continue;
            }
            var modelSettings = byKey.GetValueOrDefault($"{model}/{DirectorySource.SettingsFile}")?.ETag;
            var versionSettings = byKey.GetValueOrDefault($"{model}/{versionText}/{DirectorySource.SettingsFile}")?.ETag;
            found.Add(new VersionCandidate(model, version, store.Where($"{model}/{versionText}"), $"{stored.ETag}|{modelSettings}|{versionSettings}"));
        }
        return found;
    }

    public async Task<VersionFiles> ReadAsync(VersionCandidate candidate, long maxBytes, CancellationToken cancellationToken)
    {
        var version = candidate.Version.ToString(CultureInfo.InvariantCulture);
        var modelKey = $"{candidate.Model}/{version}/{DirectorySource.ModelFile}";
        var file = _listed.GetValueOrDefault(modelKey)
            ?? throw new ModelSourceException($"{store.Where(modelKey)} is no longer in the {store.Description}", ModelSourceException.Changed);
        if (file.Size > maxBytes)
        {
            throw new InvalidModelException($"{DirectorySource.ModelFile} has {file.Size} bytes, more than Model:MaxFileBytes ({maxBytes})");
        }
        var bytes = await CachedAsync(candidate.Model, version, file, cancellationToken);
        return new VersionFiles(bytes,
            await SettingsAsync($"{candidate.Model}/{DirectorySource.SettingsFile}", cancellationToken),
            await SettingsAsync($"{candidate.Model}/{version}/{DirectorySource.SettingsFile}", cancellationToken));
    }

    /// <summary>The model file from the cache when it holds this ETag's copy, else downloaded into it.</summary>
    private async Task<byte[]> CachedAsync(string model, string version, StoredObject file, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(cacheDirectory, model, version);
        // The ETag names the cached copy: quotes and other characters a file name cannot carry are hashed away.
        var name = $"model.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file.ETag)))[..16]}.onnx";
        var path = Path.Combine(directory, name);
        if (File.Exists(path) && new FileInfo(path).Length == file.Size)
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        var bytes = await store.ReadAsync(file, cancellationToken);
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.partial");
        await File.WriteAllBytesAsync(partial, bytes, cancellationToken);
        File.Move(partial, path, overwrite: true);
        foreach (var older in Directory.EnumerateFiles(directory).Where(f => Path.GetFileName(f) != name))
        {
            File.Delete(older);
        }
        return bytes;
    }

    private async Task<string?> SettingsAsync(string key, CancellationToken cancellationToken)
    {
        if (_listed.GetValueOrDefault(key) is not { } settings)
        {
            return null;
        }
        if (settings.Size > MaxSettingsBytes)
        {
            throw new InvalidModelException($"{store.Where(key)} is larger than 1 MiB");
        }
        return Encoding.UTF8.GetString(await store.ReadAsync(settings, cancellationToken));
    }

    public void Dispose() => store.Dispose();
}
