using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Appraise.Api.Predictions;

/// <summary>The six features of one house, named as in the Boston housing data (accepted ranges: GET /api/v1/model).</summary>
public sealed record HousingPayload(
    [property: JsonPropertyName("CHAS"), Description("Charles River dummy: 1 if the tract bounds the river, else 0.")] double Chas,
    [property: JsonPropertyName("RM"), Description("Average number of rooms per dwelling.")] double Rm,
    [property: JsonPropertyName("TAX"), Description("Full-value property-tax rate per $10,000.")] double Tax,
    [property: JsonPropertyName("PTRATIO"), Description("Pupil-teacher ratio by town.")] double Ptratio,
    [property: JsonPropertyName("B"), Description("1000(Bk - 0.63)^2 by town.")] double B,
    [property: JsonPropertyName("LSTAT"), Description("Percentage of lower-status population.")] double Lstat)
{
    public static HousingPayload From(ReadOnlySpan<double> features) =>
        new(features[0], features[1], features[2], features[3], features[4], features[5]);
}
