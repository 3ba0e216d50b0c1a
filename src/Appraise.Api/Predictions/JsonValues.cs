using System.Text.Json;
using Appraise.Api.Model;

namespace Appraise.Api.Predictions;

/// <summary>Small helpers for reading JSON values while collecting errors instead of throwing.</summary>
internal static class JsonValues
{
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "a number",
    };

    /// <summary>
    /// Reads the current token as a value for feature <paramref name="index"/>: a finite number within
    /// the feature's range. Returns why it is not acceptable, or null.
    /// </summary>
    public static string? ReadFeature(ref Utf8JsonReader reader, int index, out double value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            var problem = $"Must be a number, not {Describe(reader.TokenType)}.";
            reader.Skip();
            return problem;
        }
        return reader.TryGetDouble(out value) ? HousingFeatures.Problem(index, value) : "Must be a finite number.";
    }

    /// <summary>After the root value: anything but whitespace is malformed JSON (the reader throws).</summary>
    public static void ExpectEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the JSON value.");
        }
    }
}
