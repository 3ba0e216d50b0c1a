namespace Appraise.Api.Predictions;

/// <summary>Rows of features, row-major; only usable when <see cref="Errors"/> is empty.</summary>
public sealed record ParsedBatch(double[] Rows, int RowCount, ValidationErrors Errors)
{
    public static ParsedBatch Invalid(ValidationErrors errors) => new([], 0, errors);
}
