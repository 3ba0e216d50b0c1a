namespace Appraise.Api.Model;

/// <summary>Where model versions come from: a directory laid out as a model repository, or the embedded default.</summary>
public interface IModelSource
{
    /// <summary>For log lines: the directory, or "the embedded model".</summary>
    string Description { get; }

    /// <summary>Whether versions can appear, change and go while the service runs (the repository is polled).</summary>
    bool Changes { get; }

    /// <summary>
    /// Whether the source may be away when the service starts (object storage): then start-up does
    /// not list it, the default model is named in settings, and the poll loop keeps trying.
    /// </summary>
    bool MayBeAwayAtStart { get; }

    /// <summary>Every version offered now.</summary>
    Task<IReadOnlyList<VersionCandidate>> ListAsync(CancellationToken cancellationToken);

    /// <summary>A version's files; the model file is refused, unread, when larger than <paramref name="maxBytes"/>.</summary>
    Task<VersionFiles> ReadAsync(VersionCandidate candidate, long maxBytes, CancellationToken cancellationToken);
}
