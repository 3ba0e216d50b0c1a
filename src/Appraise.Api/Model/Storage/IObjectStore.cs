namespace Appraise.Api.Model.Storage;

/// <summary>
/// A model repository's objects in a bucket or container, under a prefix: listed with their size
/// and ETag, and read whole. Failures are <see cref="ModelSourceException"/>s that say what is wrong.
/// </summary>
public interface IObjectStore : IDisposable
{
    /// <summary>For log lines: the container or bucket and prefix, never a key or a signature.</summary>
    string Description { get; }

    /// <summary>Every object under the prefix, with its key relative to the prefix.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(CancellationToken cancellationToken);

    /// <summary>An object's bytes, as they were when listed: a changed ETag or another size is refused.</summary>
    Task<byte[]> ReadAsync(StoredObject stored, CancellationToken cancellationToken);

    /// <summary>Where a relative key lives, for log lines.</summary>
    string Where(string relativeKey);
}

/// <summary>One object: its key relative to the repository's prefix, its size in bytes and its ETag.</summary>
public sealed record StoredObject(string Key, long Size, string ETag);
