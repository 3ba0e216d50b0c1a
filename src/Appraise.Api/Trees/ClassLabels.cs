namespace Appraise.Api.Trees;

/// <summary>A classifier's labels: <c>classlabels_int64s</c> or <c>classlabels_strings</c>, in class-index order.</summary>
public sealed record ClassLabels(long[]? Int64s, string[]? Strings)
{
    public int Count => Int64s?.Length ?? Strings!.Length;

    public bool AreStrings => Strings is not null;
}
