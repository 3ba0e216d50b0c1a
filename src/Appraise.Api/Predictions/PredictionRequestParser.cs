using System.Buffers;
using System.Text.Json;
using Appraise.Api.Model;

namespace Appraise.Api.Predictions;

/// <summary>
/// Parses <c>{"event_id": 1, "payload": {"CHAS": 0, ...}}</c> strictly: every feature required,
/// finite and within the model's ranges, unknown and repeated properties rejected, and every
/// problem reported at once. Malformed JSON (text that is not UTF-8 included) throws
/// <see cref="JsonException"/> (a 400); everything else is a 422.
/// </summary>
public static class PredictionRequestParser
{
    public static ParsedPrediction Parse(ReadOnlySequence<byte> body, FeatureSchema schema)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        var errors = new ValidationErrors();
        var features = new double[schema.Count];
        long? eventId = null;
        var sawEventId = false;
        var sawPayload = false;

        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add("$", $"The body must be a JSON object, not {JsonValues.Describe(reader.TokenType)}.");
            reader.Skip();
            JsonValues.ExpectEnd(ref reader);
            return new ParsedPrediction(0, features, errors);
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (JsonValues.NameIs(ref reader, "event_id"u8))
            {
                reader.Read();
                if (sawEventId)
                {
                    errors.Add("event_id", "Given more than once.");
                    reader.Skip();
                    continue;
                }
                sawEventId = true;
                eventId = ReadEventId(ref reader, errors);
            }
            else if (JsonValues.NameIs(ref reader, "payload"u8))
            {
                reader.Read();
                if (sawPayload)
                {
                    errors.Add("payload", "Given more than once.");
                    reader.Skip();
                    continue;
                }
                sawPayload = true;
                ReadPayload(ref reader, features, schema, "payload.", errors);
            }
            else
            {
                errors.Add(JsonValues.Name(ref reader), "Unknown property; expected only 'event_id' and 'payload'.");
                reader.Read();
                reader.Skip();
            }
        }
        JsonValues.ExpectEnd(ref reader);

        if (!sawEventId)
        {
            errors.Add("event_id", "Required.");
        }
        if (!sawPayload)
        {
            errors.Add("payload", "Required.");
        }
        return new ParsedPrediction(eventId ?? 0, features, errors);
    }

    /// <summary>Parses the model's features alone, <c>{"CHAS": 0, "RM": 6.575, ...}</c> (the payload of a prediction).</summary>
    public static ParsedPrediction ParseFeatures(ReadOnlySequence<byte> body, FeatureSchema schema)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        var errors = new ValidationErrors();
        var features = new double[schema.Count];
        reader.Read();
        ReadPayload(ref reader, features, schema, "", errors);
        JsonValues.ExpectEnd(ref reader);
        return new ParsedPrediction(0, features, errors);
    }

    private static long? ReadEventId(ref Utf8JsonReader reader, ValidationErrors errors)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id))
        {
            return id;
        }
        errors.Add("event_id", "Must be an integer.");
        reader.Skip();
        return null;
    }

    private static void ReadPayload(ref Utf8JsonReader reader, double[] features, FeatureSchema schema, string prefix, ValidationErrors errors)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(prefix.Length == 0 ? "$" : prefix.TrimEnd('.'), $"Must be an object of the model's features, not {JsonValues.Describe(reader.TokenType)}.");
            reader.Skip();
            return;
        }
        Span<bool> seen = stackalloc bool[schema.Count];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = IndexOfProperty(ref reader, schema);
            if (index < 0)
            {
                errors.Add(prefix + JsonValues.Name(ref reader), $"Unknown feature; expected {schema.List}.");
                reader.Read();
                reader.Skip();
                continue;
            }
            var field = prefix + schema.Names[index];
            reader.Read();
            if (seen[index])
            {
                errors.Add(field, "Given more than once.");
                reader.Skip();
                continue;
            }
            seen[index] = true;
            var problem = JsonValues.ReadFeature(ref reader, index, schema, out features[index]);
            if (problem is not null)
            {
                errors.Add(field, problem);
            }
        }
        for (var i = 0; i < seen.Length; i++)
        {
            if (!seen[i])
            {
                errors.Add(prefix + schema.Names[i], "Required.");
            }
        }
    }

    private static int IndexOfProperty(ref Utf8JsonReader reader, FeatureSchema schema)
    {
        for (var i = 0; i < schema.Count; i++)
        {
            if (JsonValues.NameIs(ref reader, schema.Utf8Names[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
