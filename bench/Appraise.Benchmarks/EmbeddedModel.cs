using Appraise.Api.Model;

namespace Appraise.Benchmarks;

/// <summary>The embedded house-price model (model/housing/1) as the service loads it, and its file.</summary>
internal static class EmbeddedModel
{
    public static ServedModel Load()
    {
        var source = new EmbeddedSource();
        var candidate = source.ListAsync(CancellationToken.None).GetAwaiter().GetResult()[0];
        return ModelBuilder.Build(candidate, source.ReadAsync(candidate, long.MaxValue, CancellationToken.None).GetAwaiter().GetResult(), DateTimeOffset.UnixEpoch);
    }

    public static byte[] File() => new EmbeddedSource().ReadAsync(null!, long.MaxValue, CancellationToken.None).GetAwaiter().GetResult().Model;
}
