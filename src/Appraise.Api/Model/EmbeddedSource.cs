namespace Appraise.Api.Model;

/// <summary>The house-price model built into the service (model/housing/1): what runs when no repository is set.</summary>
public sealed class EmbeddedSource : IModelSource
{
    public const string ModelName = "housing";
    private const string Prefix = "Appraise.Api.Models.housing.";

    public string Description => "the embedded model";

    public bool Changes => false;

    public bool MayBeAwayAtStart => false;

    public Task<IReadOnlyList<VersionCandidate>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VersionCandidate>>([new VersionCandidate(ModelName, 1, "the embedded model", "embedded")]);

    public async Task<VersionFiles> ReadAsync(VersionCandidate candidate, long maxBytes, CancellationToken cancellationToken)
    {
        var assembly = typeof(EmbeddedSource).Assembly;
        await using var model = assembly.GetManifestResourceStream(Prefix + "model.onnx")
            ?? throw new InvalidOperationException("The embedded model is missing from the build.");
        using var bytes = new MemoryStream();
        await model.CopyToAsync(bytes, cancellationToken);
        await using var settings = assembly.GetManifestResourceStream(Prefix + "model-settings.json");
        using var reader = settings is null ? null : new StreamReader(settings);
        return new VersionFiles(bytes.ToArray(), null, reader is null ? null : await reader.ReadToEndAsync(cancellationToken));
    }
}
