using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Appraise.Api.Observability;

/// <summary>
/// One JSON object per log entry: Timestamp, LogLevel, Category, EventId, Message, State (the
/// structured values) and, inside a request, TraceId and SpanId of the current activity.
/// </summary>
internal sealed class JsonLineLogger(string category, JsonLineLoggerProvider provider) : ILogger
{
    // Log lines are read by people and log shippers, never embedded in HTML: keep quotes and
    // non-ASCII readable. Control characters are still escaped, so one entry stays one line.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || IsReportedElsewhere(eventId))
        {
            return;
        }
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var json = t_writer ??= new Utf8JsonWriter(buffer, Options);
        buffer.ResetWrittenCount();
        json.Reset(buffer);

        json.WriteStartObject();
        json.WriteString("Timestamp"u8, DateTime.UtcNow);
        json.WriteString("LogLevel"u8, LevelName(logLevel));
        json.WriteString("Category"u8, category);
        json.WriteNumber("EventId"u8, eventId.Id);
        json.WriteString("Message"u8, formatter(state, exception));
        if (Activity.Current is { } activity)
        {
            json.WriteString("TraceId"u8, activity.TraceId.ToHexString());
            json.WriteString("SpanId"u8, activity.SpanId.ToHexString());
        }
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.Count > 0)
        {
            json.WriteStartObject("State"u8);
            foreach (var (key, value) in values)
            {
                WriteValue(json, key, value);
            }
            json.WriteEndObject();
        }
        if (exception is not null)
        {
            json.WriteString("Exception"u8, exception.ToString());
        }
        json.WriteEndObject();
        json.Flush();

        var length = buffer.WrittenCount + 1;
        var line = ArrayPool<byte>.Shared.Rent(length);
        buffer.WrittenSpan.CopyTo(line);
        line[length - 1] = (byte)'\n';
        provider.Enqueue(line, length);
    }

    // The host's "Hosting failed to start" carries the whole stack trace of what is usually a
    // setting; Program reports the same failure as one line (Hosting/StartupFailure.cs).
    private bool IsReportedElsewhere(EventId eventId) =>
        eventId.Id == HostingFailedToStart && category == "Microsoft.Extensions.Hosting.Internal.Host";

    private const int HostingFailedToStart = 11;

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case string text:
                json.WriteString(key, text);
                break;
            case bool flag:
                json.WriteBoolean(key, flag);
                break;
            case int number:
                json.WriteNumber(key, number);
                break;
            case long number:
                json.WriteNumber(key, number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumber(key, number);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        _ => "Critical",
    };
}
