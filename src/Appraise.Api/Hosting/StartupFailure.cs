using System.Text.Encodings.Web;
using System.Text.Json;
using Appraise.Api.Trees;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Hosting;

/// <summary>
/// Ends a start-up that cannot succeed with one clear log line and exit code 1, never a stack
/// trace or a crash dump: bad settings, a port in use, a data directory that cannot be written,
/// a model file that cannot be read. The line has the shape of every other log line.
/// </summary>
public static class StartupFailure
{
    public const string Category = "Appraise.Startup";
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the reason to stdout and returns the process exit code.</summary>
    public static int Report(Exception exception, TextWriter? output = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", DateTime.UtcNow);
            json.WriteString("LogLevel", "Critical");
            json.WriteString("Category", Category);
            json.WriteNumber("EventId", 1);
            json.WriteString("Message", $"Cannot start: {Describe(exception)}");
            json.WriteEndObject();
        }
        var writer = output ?? Console.Out;
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        writer.Flush();
        return 1;
    }

    /// <summary>The reason in one line: what the user can act on, without framework internals.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        ConfigurationException or InvalidModelException => exception.Message,
        OptionsValidationException options => string.Join(" ", options.Failures),
        // Kestrel: "Failed to bind to address http://127.0.0.1:8080: address already in use."
        IOException bind when bind.Message.StartsWith("Failed to bind", StringComparison.Ordinal) =>
            $"{bind.Message} Set ASPNETCORE_HTTP_PORTS or ASPNETCORE_URLS to a free port.",
        // The configuration binder: "Failed to convert configuration value at 'Reports:Lease' to type 'System.TimeSpan'."
        InvalidOperationException { InnerException: FormatException or OverflowException } binding => binding.Message,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
