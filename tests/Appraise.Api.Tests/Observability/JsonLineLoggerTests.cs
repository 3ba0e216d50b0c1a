using System.Text;
using System.Text.Json.Nodes;
using Appraise.Api.Observability;
using Microsoft.Extensions.Logging;

namespace Appraise.Api.Tests.Observability;

public sealed partial class JsonLineLoggerTests
{
    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Model '{Path}' said {Reason}")]
    private static partial void ModelSaid(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed")]
    private static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "entry {Thread} {Index}")]
    private static partial void Entry(ILogger logger, int thread, int index);

    private static List<JsonNode> Lines(MemoryStream output) =>
        Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();

    [Fact]
    public void EveryEntryIsOneParsableLineWithItsStructuredValues()
    {
        var output = new MemoryStream();
        using (var provider = new JsonLineLoggerProvider(output))
        {
            var logger = provider.CreateLogger("Appraise.Test");
            ModelSaid(logger, "/models/m.json", "line one\nline two \"quoted\" é");
            Failed(logger, new InvalidOperationException("boom"));
        }

        var lines = Lines(output);
        Assert.Equal(2, lines.Count);
        Assert.Equal("Warning", (string?)lines[0]["LogLevel"]);
        Assert.Equal("Appraise.Test", (string?)lines[0]["Category"]);
        Assert.Equal(7, (int)lines[0]["EventId"]!);
        Assert.Equal("Model '/models/m.json' said line one\nline two \"quoted\" é", (string?)lines[0]["Message"]);
        Assert.Equal("/models/m.json", (string?)lines[0]["State"]!["Path"]);
        Assert.Contains("'/models/m.json'", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
        Assert.StartsWith("System.InvalidOperationException: boom", (string?)lines[1]["Exception"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABurstFromManyThreadsFarBeyondTheQueueIsWrittenInFull()
    {
        var output = new MemoryStream();
        using (var provider = new JsonLineLoggerProvider(Stream.Synchronized(output)))
        {
            var logger = provider.CreateLogger("Appraise.Test");
            await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
            {
                for (var i = 0; i < 10_000; i++)
                {
                    Entry(logger, thread, i);
                }
            })));
        }

        var lines = Lines(output);
        Assert.Equal(80_000, lines.Count);
        Assert.Equal(80_000, lines.Select(line => $"{line["State"]!["Thread"]}/{line["State"]!["Index"]}").Distinct().Count());
    }

    [Fact]
    public async Task AnOutputThatCannotBeWrittenNeverBlocksTheCallers()
    {
        // stdout gone (a closed pipe): the lines cannot go anywhere, but requests must keep being
        // answered rather than wait forever for a full queue.
        using var provider = new JsonLineLoggerProvider(new UnwritableStream());
        var logger = provider.CreateLogger("Appraise.Test");

        var logging = Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                Entry(logger, 0, i);
            }
        });

        await logging.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class UnwritableStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => throw new IOException("Broken pipe");

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }
}
