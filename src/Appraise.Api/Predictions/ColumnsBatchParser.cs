using System.Buffers;
using System.Text.Json;
using Appraise.Api.Model;

namespace Appraise.Api.Predictions;

/// <summary>
/// Parses the seed's <c>POST /predict</c> body: a pandas DataFrame in "columns" orientation,
/// <c>{"RM": {"0": 6.575, "1": 6.421}, ...}</c>. Lists (<c>{"RM": [6.575, 6.421]}</c>), which
/// pandas accepts too, are read as rows "0", "1", .... Rows follow the first column's order and
/// every column must hold the same row keys.
/// </summary>
public static class ColumnsBatchParser
{
    public const int MaxRows = 1000;

    public static ParsedBatch Parse(ReadOnlySequence<byte> body, FeatureSchema features)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        var errors = new ValidationErrors();
        var columns = new List<KeyValuePair<RowKey, double>>?[features.Count];
        int? firstColumn = null;

        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add("$", $"The body must be a JSON object of columns, not {JsonValues.Describe(reader.TokenType)}.");
            reader.Skip();
            JsonValues.ExpectEnd(ref reader);
            return ParsedBatch.Invalid(errors);
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonValues.Name(ref reader);
            var index = features.IndexOf(name);
            reader.Read();
            if (index < 0)
            {
                errors.Add(name, $"Unknown column; expected {features.List}.");
                reader.Skip();
            }
            else if (columns[index] is not null)
            {
                errors.Add(name, "Given more than once.");
                reader.Skip();
            }
            else
            {
                // Columns name the same rows: the first one's length sizes the others' buffers.
                var expectedRows = firstColumn is { } first ? columns[first]!.Count : 0;
                columns[index] = ReadColumn(ref reader, index, expectedRows, features, errors);
                firstColumn ??= index;
            }
        }
        JsonValues.ExpectEnd(ref reader);

        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i] is null)
            {
                errors.Add(features.Names[i], "Required.");
            }
        }
        return errors.Any || firstColumn is null ? ParsedBatch.Invalid(errors) : ToRows(columns!, firstColumn.Value, features, errors);
    }

    private static List<KeyValuePair<RowKey, double>> ReadColumn(ref Utf8JsonReader reader, int index, int expectedRows, FeatureSchema features, ValidationErrors errors)
    {
        var name = features.Names[index];
        var cells = new List<KeyValuePair<RowKey, double>>(Math.Min(expectedRows, MaxRows));
        var isList = reader.TokenType == JsonTokenType.StartArray;
        if (!isList && reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(name, $"Must be an object of row -> value (or a list), not {JsonValues.Describe(reader.TokenType)}.");
            reader.Skip();
            return cells;
        }
        var end = isList ? JsonTokenType.EndArray : JsonTokenType.EndObject;
        while (reader.Read() && reader.TokenType != end)
        {
            var key = isList ? RowKey.Position(cells.Count) : RowKey.Read(ref reader);
            if (!isList)
            {
                reader.Read();
            }
            if (cells.Count == MaxRows)
            {
                errors.Add(name, $"At most {MaxRows} rows per request.");
                reader.Skip();
                SkipRest(ref reader, end);
                return cells;
            }
            var problem = JsonValues.ReadFeature(ref reader, index, features, out var value);
            if (problem is not null)
            {
                errors.Add($"{name}.{key}", problem);
            }
            cells.Add(new(key, value));
        }
        if (cells.Count == 0)
        {
            errors.Add(name, "Needs at least one row.");
        }
        return cells;
    }

    private static void SkipRest(ref Utf8JsonReader reader, JsonTokenType end)
    {
        while (reader.Read() && reader.TokenType != end)
        {
            reader.Skip();
        }
    }

    private static ParsedBatch ToRows(List<KeyValuePair<RowKey, double>>[] columns, int firstColumn, FeatureSchema features, ValidationErrors errors)
    {
        var order = columns[firstColumn];
        var rowOf = new Dictionary<RowKey, int>(order.Count);
        foreach (var (key, _) in order)
        {
            if (!rowOf.TryAdd(key, rowOf.Count))
            {
                errors.Add(features.Names[firstColumn], $"Row '{ValidationErrors.Bounded(key.ToString())}' is given more than once.");
            }
        }
        var rows = new double[order.Count * features.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var name = features.Names[c];
            var seen = new bool[order.Count];
            foreach (var (key, value) in columns[c])
            {
                if (!rowOf.TryGetValue(key, out var row))
                {
                    errors.Add(name, $"Row '{ValidationErrors.Bounded(key.ToString())}' is not in column {features.Names[firstColumn]}; all columns need the same rows.");
                }
                else if (seen[row])
                {
                    errors.Add(name, $"Row '{ValidationErrors.Bounded(key.ToString())}' is given more than once.");
                }
                else
                {
                    seen[row] = true;
                    rows[(row * features.Count) + c] = value;
                }
            }
            var missing = Array.IndexOf(seen, false);
            if (missing >= 0)
            {
                errors.Add(name, $"Row '{ValidationErrors.Bounded(order[missing].Key.ToString())}' is missing; all columns need the same rows.");
            }
        }
        return errors.Any ? ParsedBatch.Invalid(errors) : new ParsedBatch(rows, order.Count, errors);
    }
}
