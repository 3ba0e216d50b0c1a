using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appraise.Api.Predictions;

/// <summary>
/// One row of feature values, written as a JSON object of the model's column names in column
/// order (<c>{"CHAS": 0, "RM": 6.575, ...}</c>): how the seed services echo their input. Its
/// OpenAPI schema lists the default model's columns (Docs/FeatureSchemas).
/// </summary>
[JsonConverter(typeof(FeatureValuesConverter))]
public sealed record FeatureValues(IReadOnlyList<string> Names, IReadOnlyList<double> Values);

/// <summary>Writes <see cref="FeatureValues"/> as an object; reading one is the parsers' job, not this converter's.</summary>
public sealed class FeatureValuesConverter : JsonConverter<FeatureValues>
{
    public override FeatureValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Feature values are read by the request parsers.");

    public override void Write(Utf8JsonWriter writer, FeatureValues value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        for (var i = 0; i < value.Names.Count; i++)
        {
            writer.WriteNumber(value.Names[i], value.Values[i]);
        }
        writer.WriteEndObject();
    }
}
