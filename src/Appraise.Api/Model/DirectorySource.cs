using System.Globalization;
using System.Text.RegularExpressions;
using Appraise.Api.Trees;

namespace Appraise.Api.Model;

/// <summary>
/// A model repository on disk, laid out as Triton and MLServer lay theirs out:
/// &lt;model&gt;/&lt;version&gt;/model.onnx, with an optional model-settings.json in the model's
/// folder (every version) and in the version's (that version). Versions are positive whole numbers.
/// </summary>
public sealed partial class DirectorySource(string root) : IModelSource
{
    public const string ModelFile = "model.onnx";
    public const string SettingsFile = "model-settings.json";

    public string Description => $"model repository '{root}'";

    public bool Changes => true;

    public bool MayBeAwayAtStart => false;

    public Task<IReadOnlyList<VersionCandidate>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<VersionCandidate>();
        foreach (var modelDirectory in Directory.EnumerateDirectories(root))
        {
            var model = Path.GetFileName(modelDirectory);
            if (!IsModelName(model))
            {
                continue;
            }
            var modelSettings = Stamp(Path.Combine(modelDirectory, SettingsFile));
            foreach (var versionDirectory in Directory.EnumerateDirectories(modelDirectory))
            {
                if (!long.TryParse(Path.GetFileName(versionDirectory), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
                {
                    continue;
                }
                var file = Path.Combine(versionDirectory, ModelFile);
                var stamp = Stamp(file);
                if (stamp is null)
                {
                    continue;
                }
                found.Add(new VersionCandidate(model, version, versionDirectory,
                    $"{stamp}|{modelSettings}|{Stamp(Path.Combine(versionDirectory, SettingsFile))}"));
            }
        }
        return Task.FromResult<IReadOnlyList<VersionCandidate>>(found);
    }

    public async Task<VersionFiles> ReadAsync(VersionCandidate candidate, long maxBytes, CancellationToken cancellationToken)
    {
        var file = Path.Combine(candidate.Where, ModelFile);
        var length = new FileInfo(file).Length;
        if (length > maxBytes)
        {
            throw new InvalidModelException($"{ModelFile} has {length} bytes, more than Model:MaxFileBytes ({maxBytes})");
        }
        var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        return new VersionFiles(bytes,
            await ReadOptional(Path.Combine(Path.GetDirectoryName(candidate.Where)!, SettingsFile), cancellationToken),
            await ReadOptional(Path.Combine(candidate.Where, SettingsFile), cancellationToken));
    }

    /// <summary>Model names as Triton and KServe accept them, which also keeps them safe in URLs and paths.</summary>
    public static bool IsModelName(string name) => ModelName().IsMatch(name);

    private static async Task<string?> ReadOptional(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        if (new FileInfo(path).Length > 1024 * 1024)
        {
            throw new InvalidModelException($"{path} is larger than 1 MiB");
        }
        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    private static string? Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? $"{info.Length}@{info.LastWriteTimeUtc.Ticks}" : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex ModelName();
}
