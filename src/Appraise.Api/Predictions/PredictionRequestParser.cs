using System.Buffers;
using System.Text.Json;
using Appraise.Api.Model;

namespace Appraise.Api.Predictions;

/// <summary>
/// Parses <c>{"event_id": 1, "payload": {"CHAS": 0, ...}}</c> strictly: every feature required,
/// finite and in range, unknown properties rejected, and every problem reported at once.
/// Malformed JSON throws <see cref="JsonException"/> (a 400); everything else is a 422.
/// </summary>
public static class PredictionRequestParser
{
    public static ParsedPrediction Parse(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        var errors = new ValidationErrors();
        var features = new double[HousingFeatures.Count];
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
            if (reader.ValueTextEquals("event_id"u8))
            {
                reader.Read();
                sawEventId = true;
                eventId = ReadEventId(ref reader, errors);
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                sawPayload = true;
                ReadPayload(ref reader, features, errors);
            }
            else
            {
                errors.Add(reader.GetString()!, "Unknown property; expected only 'event_id' and 'payload'.");
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

    private static void ReadPayload(ref Utf8JsonReader reader, double[] features, ValidationErrors errors)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add("payload", $"Must be an object of the six features, not {JsonValues.Describe(reader.TokenType)}.");
            reader.Skip();
            return;
        }
        Span<bool> seen = stackalloc bool[HousingFeatures.Count];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = IndexOfProperty(ref reader);
            if (index < 0)
            {
                errors.Add($"payload.{reader.GetString()}", $"Unknown feature; expected {FeatureList}.");
                reader.Read();
                reader.Skip();
                continue;
            }
            var field = PayloadFields[index];
            reader.Read();
            if (seen[index])
            {
                errors.Add(field, "Given more than once.");
                reader.Skip();
                continue;
            }
            seen[index] = true;
            var problem = JsonValues.ReadFeature(ref reader, index, out features[index]);
            if (problem is not null)
            {
                errors.Add(field, problem);
            }
        }
        for (var i = 0; i < seen.Length; i++)
        {
            if (!seen[i])
            {
                errors.Add(PayloadFields[i], "Required.");
            }
        }
    }

    private static int IndexOfProperty(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < HousingFeatures.All.Length; i++)
        {
            if (reader.ValueTextEquals(HousingFeatures.All[i].Name))
            {
                return i;
            }
        }
        return -1;
    }

    private static readonly string[] PayloadFields = HousingFeatures.All.Select(f => $"payload.{f.Name}").ToArray();

    internal static readonly string FeatureList = string.Join(", ", HousingFeatures.All.Select(f => f.Name));
}
