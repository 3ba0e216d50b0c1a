using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Model;

/// <summary>
/// The versions being served, as one immutable snapshot swapped atomically: a request sees either
/// the old set or the new one, never half of a change. The unversioned routes of a model use its
/// pinned version (Model:Pins) or else its newest; the seed endpoints use Model:Default's.
/// </summary>
public sealed class ModelRegistry(IOptions<ModelOptions> options)
{
    private readonly Lock _writer = new();
    private ImmutableDictionary<string, ImmutableSortedDictionary<long, ServedModel>> _models =
        ImmutableDictionary.Create<string, ImmutableSortedDictionary<long, ServedModel>>(StringComparer.Ordinal);

    /// <summary>The model behind the seed endpoints; set once the source is known (<see cref="ModelRepository"/>).</summary>
    public string DefaultName { get; private set; } = options.Value.Default ?? EmbeddedSource.ModelName;

    /// <summary>The default model's serving version, or null while it is not loaded.</summary>
    public ServedModel? Default => Find(DefaultName, null);

    public IReadOnlyCollection<string> Names => Volatile.Read(ref _models).Keys.ToArray();

    /// <summary>A model's version, or its serving one when <paramref name="version"/> is null.</summary>
    public ServedModel? Find(string name, long? version)
    {
        if (!Volatile.Read(ref _models).TryGetValue(name, out var versions) || versions.IsEmpty)
        {
            return null;
        }
        if (version is { } wanted)
        {
            return versions.GetValueOrDefault(wanted);
        }
        if (options.Value.Pins.TryGetValue(name, out var pinned))
        {
            return versions.GetValueOrDefault(pinned);
        }
        return versions.Values.Last();
    }

    /// <summary>Every version of a model being served, oldest first.</summary>
    public IReadOnlyList<ServedModel> Versions(string name) =>
        Volatile.Read(ref _models).TryGetValue(name, out var versions) ? [.. versions.Values] : [];

    public IReadOnlyList<ServedModel> All() => [.. Volatile.Read(ref _models).Values.SelectMany(v => v.Values)];

    internal void SetDefault(string name) => DefaultName = name;

    /// <summary>Serves <paramref name="model"/> from now on, in place of the same version if it was served.</summary>
    public void Publish(ServedModel model)
    {
        lock (_writer)
        {
            var versions = _models.GetValueOrDefault(model.Name) ?? ImmutableSortedDictionary<long, ServedModel>.Empty;
            Volatile.Write(ref _models, _models.SetItem(model.Name, versions.SetItem(model.Version, model)));
        }
    }

    /// <summary>Stops serving one version; returns whether it was served.</summary>
    public bool Remove(string name, long version)
    {
        lock (_writer)
        {
            if (!_models.TryGetValue(name, out var versions) || !versions.ContainsKey(version))
            {
                return false;
            }
            var left = versions.Remove(version);
            Volatile.Write(ref _models, left.IsEmpty ? _models.Remove(name) : _models.SetItem(name, left));
            return true;
        }
    }
}
