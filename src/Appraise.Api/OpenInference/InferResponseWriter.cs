using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Appraise.Api.Onnx;

namespace Appraise.Api.OpenInference;

/// <summary>
/// Writes the protocol's $inference_response. An output asked for as binary (binary_data, or the
/// request's binary_data_output) carries parameters.binary_data_size instead of data, and its
/// bytes follow the JSON, little-endian and row-major; the answer is then application/octet-stream
/// with Inference-Header-Content-Length, as the binary tensor data extension specifies.
/// </summary>
public static class InferResponseWriter
{
    public static async Task WriteAsync(HttpResponse response, InferResult result, CancellationToken cancellationToken)
    {
        var json = new ArrayBufferWriter<byte>(1024);
        var binary = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name"u8, result.ModelName);
            writer.WriteString("model_version"u8, result.ModelVersion);
            if (result.Id is not null)
            {
                writer.WriteString("id"u8, result.Id);
            }
            writer.WriteStartArray("outputs"u8);
            foreach (var output in result.Outputs)
            {
                WriteOutput(writer, output, binary);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        response.StatusCode = StatusCodes.Status200OK;
        if (binary.WrittenCount > 0)
        {
            response.ContentType = "application/octet-stream";
            response.Headers[InferBody.HeaderLengthHeader] = json.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            response.ContentType = "application/json";
        }
        response.ContentLength = json.WrittenCount + binary.WrittenCount;
        await response.Body.WriteAsync(json.WrittenMemory, cancellationToken);
        if (binary.WrittenCount > 0)
        {
            await response.Body.WriteAsync(binary.WrittenMemory, cancellationToken);
        }
    }

    private static void WriteOutput(Utf8JsonWriter writer, OutputTensor output, ArrayBufferWriter<byte> binary)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, output.Name);
        writer.WriteString("datatype"u8, output.Datatype);
        writer.WriteStartArray("shape"u8);
        foreach (var dimension in output.Shape)
        {
            writer.WriteNumberValue(dimension);
        }
        writer.WriteEndArray();
        if (output.Binary)
        {
            var before = binary.WrittenCount;
            WriteBinary(output, binary);
            writer.WriteStartObject("parameters"u8);
            writer.WriteNumber("binary_data_size"u8, binary.WrittenCount - before);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray("data"u8);
            WriteData(writer, output);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, OutputTensor output)
    {
        if (output.Floats is { } floats)
        {
            foreach (var value in floats)
            {
                WriteNumber(writer, value);
            }
        }
        else if (output.Doubles is { } doubles)
        {
            foreach (var value in doubles)
            {
                WriteNumber(writer, value);
            }
        }
        else if (output.Longs is { } longs)
        {
            foreach (var value in longs)
            {
                writer.WriteNumberValue(value);
            }
        }
        else
        {
            foreach (var value in output.Strings!)
            {
                writer.WriteStringValue(value);
            }
        }
    }

    // JSON has no NaN: a probit of 0 or 1 and a model's NaN answer travel as null.
    private static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>The tensor's bytes: little-endian elements, row-major; BYTES as a 4-byte length and the UTF-8 bytes.</summary>
    public static void WriteBinary(OutputTensor output, IBufferWriter<byte> binary)
    {
        switch (output.Type)
        {
            case TensorType.Fp32:
                foreach (var value in output.Floats!)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(binary.GetSpan(4), value);
                    binary.Advance(4);
                }
                break;
            case TensorType.Fp64:
                foreach (var value in output.Doubles!)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(binary.GetSpan(8), value);
                    binary.Advance(8);
                }
                break;
            case TensorType.Int32:
                foreach (var value in output.Longs!)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(binary.GetSpan(4), (int)value);
                    binary.Advance(4);
                }
                break;
            case TensorType.Int64:
                foreach (var value in output.Longs!)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(binary.GetSpan(8), value);
                    binary.Advance(8);
                }
                break;
            default:
                foreach (var value in output.Strings!)
                {
                    var length = Encoding.UTF8.GetByteCount(value);
                    var span = binary.GetSpan(4 + length);
                    BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
                    Encoding.UTF8.GetBytes(value, span[4..]);
                    binary.Advance(4 + length);
                }
                break;
        }
    }
}
