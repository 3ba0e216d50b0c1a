namespace Appraise.Api.Model.Storage;

/// <summary>
/// The model storage could not be used right now (unreachable, credentials refused, the container
/// or bucket missing, an object changing while read). An I/O failure to the repository: the
/// models already loaded keep serving, the version is tried again at the next look, and
/// <see cref="Reason"/> is what the metric counts.
/// </summary>
public sealed class ModelSourceException(string message, string reason, Exception? inner = null) : IOException(message, inner)
{
    public const string Unreachable = "unreachable";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Changed = "changed";

    public string Reason { get; } = reason;
}
