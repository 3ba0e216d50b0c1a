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
    /// The current property name (or string) as text. The reader checks structure, not text:
    /// bytes that are not UTF-8, or a \u escape that is half a surrogate pair, surface only here,
    /// and they make the body malformed JSON like any other syntax error.
    /// </summary>
    public static string Name(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("A property name or string is not valid UTF-8 text.", e);
        }
    }

    /// <summary>Whether the current property name is <paramref name="utf8"/>; undecodable text is malformed JSON.</summary>
    public static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
    {
        try
        {
            return reader.ValueTextEquals(utf8);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("A property name is not valid UTF-8 text.", e);
        }
    }

    /// <summary>
    /// Reads the current token as a value for feature <paramref name="index"/>: a finite number within
    /// the model's range for it. Returns why it is not acceptable, or null.
    /// </summary>
    public static string? ReadFeature(ref Utf8JsonReader reader, int index, FeatureSchema features, out double value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            var problem = $"Must be a number, not {Describe(reader.TokenType)}.";
            reader.Skip();
            return problem;
        }
        return reader.TryGetDouble(out value) ? features.Problem(index, value) : "Must be a finite number.";
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
