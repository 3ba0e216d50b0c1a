using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Appraise.Api.OpenInference;

/// <summary>
/// Reads an inference request body: the JSON (the protocol's $inference_request) and, with the
/// binary tensor data extension, the tensors that follow it. Strict where the protocol is (shape
/// against the values given, element types), lenient where it leaves room (unknown fields and
/// parameters are ignored). Memory never exceeds what the body itself holds: a shape may claim
/// any number of values, but only the values present are read, and the claim is then refused.
/// </summary>
public static class InferRequestReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>Parses <paramref name="json"/>; inputs declaring binary_data_size take their bytes, in order, from <paramref name="binary"/>.</summary>
    public static InferRequest Read(ReadOnlySequence<byte> json, ReadOnlySequence<byte> binary, long maxValues)
    {
        var request = new InferRequest();
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the body");
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    Next(ref reader);
                    request.Id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Bad("id must be a string");
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    Next(ref reader);
                    ReadParameters(ref reader, (name, value) =>
                    {
                        if (name == "content_type")
                        {
                            request.ContentType = value as string;
                        }
                        else if (name == "binary_data_output")
                        {
                            request.BinaryOutput = value is true;
                        }
                    });
                }
                else if (reader.ValueTextEquals("inputs"u8))
                {
                    Next(ref reader);
                    Expect(ref reader, JsonTokenType.StartArray, "inputs", advance: false);
                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        request.Inputs.Add(ReadInput(ref reader, maxValues));
                    }
                }
                else if (reader.ValueTextEquals("outputs"u8))
                {
                    Next(ref reader);
                    Expect(ref reader, JsonTokenType.StartArray, "outputs", advance: false);
                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        request.Outputs.Add(ReadOutput(ref reader));
                    }
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }
            // Anything after the object makes this Read throw: one request is one JSON value.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw Bad($"the body is not valid JSON ({e.Message})");
        }
        catch (InvalidOperationException e)
        {
            throw Bad($"the body is not valid JSON ({e.Message})");
        }
        if (request.Inputs.Count == 0)
        {
            throw Bad("inputs is required and may not be empty");
        }
        ReadBinary(request, binary);
        return request;
    }

    private static InferInput ReadInput(ref Utf8JsonReader reader, long maxValues)
    {
        Expect(ref reader, JsonTokenType.StartObject, "an input", advance: false);
        string? name = null;
        string? datatype = null;
        long[]? shape = null;
        long? binarySize = null;
        var values = default(Values);
        var sawData = false;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Next(ref reader);
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Bad("the name of an input must be a string");
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                Next(ref reader);
                datatype = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Bad("the datatype of an input must be a string");
                if (Datatypes.Size(datatype) == 0)
                {
                    throw Bad($"input {name ?? "?"} has datatype {datatype}; features are {Datatypes.Numeric}");
                }
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                Next(ref reader);
                shape = ReadShape(ref reader);
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                Next(ref reader);
                ReadParameters(ref reader, (key, value) =>
                {
                    if (key == "binary_data_size")
                    {
                        binarySize = value is long size && size >= 0 ? size : throw Bad("binary_data_size must be a whole number of bytes");
                    }
                });
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Next(ref reader);
                sawData = true;
                values = Values.Read(ref reader, maxValues);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        if (name is null || datatype is null || shape is null)
        {
            throw Bad($"input {name ?? "?"} needs name, shape and datatype");
        }
        if (Datatypes.Size(datatype) == 0)
        {
            throw Bad($"input {name} has datatype {datatype}; features are {Datatypes.Numeric}");
        }
        var count = Elements(name, shape, maxValues);
        var input = new InferInput { Name = name, Datatype = datatype, Shape = shape, BinaryDataSize = binarySize };
        if (binarySize is not null)
        {
            if (sawData)
            {
                throw Bad($"input {name} has both data and binary_data_size");
            }
            return input;
        }
        if (!sawData)
        {
            throw Bad($"input {name} has neither data nor binary_data_size");
        }
        if (values.Count != count)
        {
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"input {name} has shape [{string.Join(", ", shape)}], which is {count} values, but its data holds {values.Count}"));
        }
        input.Data = values.ToArray(datatype);
        return input;
    }

    private static RequestedOutput ReadOutput(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "an output", advance: false);
        string? name = null;
        bool? binary = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Next(ref reader);
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Bad("the name of an output must be a string");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                Next(ref reader);
                ReadParameters(ref reader, (key, value) =>
                {
                    if (key == "binary_data")
                    {
                        binary = value is bool b ? b : throw Bad("binary_data must be true or false");
                    }
                });
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        return new RequestedOutput(name ?? throw Bad("an output needs a name"), binary);
    }

    private static long[] ReadShape(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "shape", advance: false);
        var shape = new List<long>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dimension) || dimension < 0)
            {
                throw Bad("shape must be a list of whole numbers, none negative");
            }
            if (shape.Count == 8)
            {
                throw Bad("shape has more than 8 dimensions");
            }
            shape.Add(dimension);
        }
        return [.. shape];
    }

    /// <summary>The number of values a shape declares; refused when it overflows or exceeds what a request may carry.</summary>
    public static long Elements(string name, long[] shape, long maxValues)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0 || (dimension > 0 && count > maxValues / dimension))
            {
                throw Bad(string.Create(CultureInfo.InvariantCulture,
                    $"input {name} has shape [{string.Join(", ", shape)}]: more than the {maxValues} values a request may carry"));
            }
            count *= dimension;
        }
        return count;
    }

    /// <summary>The scalar parameters of an object, handed to <paramref name="take"/> (string, long, double or bool); others are skipped.</summary>
    private static void ReadParameters(ref Utf8JsonReader reader, Action<string, object> take)
    {
        Expect(ref reader, JsonTokenType.StartObject, "parameters", advance: false);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            Next(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    take(key, reader.GetString()!);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    take(key, reader.GetBoolean());
                    break;
                case JsonTokenType.Number when reader.TryGetInt64(out var whole):
                    take(key, whole);
                    break;
                case JsonTokenType.Number:
                    take(key, reader.GetDouble());
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    /// <summary>The binary tensor data after the JSON: each input declaring binary_data_size takes its bytes in order.</summary>
    private static void ReadBinary(InferRequest request, ReadOnlySequence<byte> binary)
    {
        long offset = 0;
        foreach (var input in request.Inputs.Where(i => i.BinaryDataSize is not null))
        {
            var size = input.BinaryDataSize!.Value;
            var width = Datatypes.Size(input.Datatype);
            var count = input.Shape.Aggregate(1L, (a, b) => a * b);
            if (size != count * width)
            {
                throw Bad(string.Create(CultureInfo.InvariantCulture, $"input {input.Name} declares {size} bytes of binary data, but {count} {input.Datatype} values take {count * width}"));
            }
            if (offset + size > binary.Length)
            {
                throw Bad($"input {input.Name} declares binary data past the end of the body");
            }
            var bytes = binary.Slice(offset, size).ToArray();
            offset += size;
            input.Data = Decode(bytes, input.Datatype, (int)count);
        }
        if (offset != binary.Length)
        {
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"the body holds {binary.Length - offset} bytes after the JSON that no input declares"));
        }
    }

    /// <summary>Little-endian, row-major values of a datatype, as doubles (FP32 values keep their float value).</summary>
    public static double[] Decode(ReadOnlySpan<byte> bytes, string datatype, int count)
    {
        var values = new double[count];
        var width = Datatypes.Size(datatype);
        for (var i = 0; i < count; i++)
        {
            var at = bytes.Slice(i * width, width);
            values[i] = datatype switch
            {
                "FP32" => BinaryPrimitives.ReadSingleLittleEndian(at),
                "FP64" => BinaryPrimitives.ReadDoubleLittleEndian(at),
                "INT8" => (sbyte)at[0],
                "UINT8" => at[0],
                "BOOL" => at[0] == 0 ? 0 : 1,
                "INT16" => BinaryPrimitives.ReadInt16LittleEndian(at),
                "UINT16" => BinaryPrimitives.ReadUInt16LittleEndian(at),
                "INT32" => BinaryPrimitives.ReadInt32LittleEndian(at),
                "UINT32" => BinaryPrimitives.ReadUInt32LittleEndian(at),
                "INT64" => BinaryPrimitives.ReadInt64LittleEndian(at),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(at),
            };
        }
        return values;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw Bad("the JSON of the body ends too early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string what, bool advance = true)
    {
        if (advance)
        {
            Next(ref reader);
        }
        if (reader.TokenType != token)
        {
            throw Bad($"{what} must be a JSON {(token == JsonTokenType.StartObject ? "object" : "array")}");
        }
    }

    private static InferenceException Bad(string message) => InferenceException.BadInput(message);

    /// <summary>The values of a (nested or flat) data array, flattened, read into a growing pooled buffer.</summary>
    private struct Values
    {
        private double[]? _buffer;

        public int Count { get; private set; }

        public static Values Read(ref Utf8JsonReader reader, long maxValues)
        {
            var values = default(Values);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Bad("the data of an input must be an array");
            }
            var depth = reader.CurrentDepth;
            while (Next(ref reader) != JsonTokenType.EndArray || reader.CurrentDepth > depth)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray or JsonTokenType.EndArray:
                        break;
                    case JsonTokenType.Number:
                        values.Add(reader.TryGetDouble(out var number) && double.IsFinite(number) ? number : throw Bad("a value is too large for a double"), maxValues);
                        break;
                    case JsonTokenType.Null:
                        values.Add(double.NaN, maxValues);
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        values.Add(reader.GetBoolean() ? 1 : 0, maxValues);
                        break;
                    default:
                        throw Bad($"data holds {(reader.TokenType == JsonTokenType.String ? "a string" : "an object")}; feature values are numbers (null for missing)");
                }
            }
            return values;
        }

        private void Add(double value, long maxValues)
        {
            if (Count >= maxValues)
            {
                throw Bad(string.Create(CultureInfo.InvariantCulture, $"the data of an input holds more than the {maxValues} values a request may carry"));
            }
            if (_buffer is null || Count == _buffer.Length)
            {
                var bigger = ArrayPool<double>.Shared.Rent(Math.Max(64, Count * 2));
                _buffer?.AsSpan(0, Count).CopyTo(bigger);
                if (_buffer is not null)
                {
                    ArrayPool<double>.Shared.Return(_buffer);
                }
                _buffer = bigger;
            }
            _buffer[Count++] = value;
        }

        /// <summary>The values as the datatype holds them (FP32 rounded to float), and the buffer returned.</summary>
        public double[] ToArray(string datatype)
        {
            var result = new double[Count];
            for (var i = 0; i < Count; i++)
            {
                result[i] = datatype == "FP32" ? (float)_buffer![i] : _buffer![i];
            }
            if (_buffer is not null)
            {
                ArrayPool<double>.Shared.Return(_buffer);
            }
            return result;
        }
    }
}
