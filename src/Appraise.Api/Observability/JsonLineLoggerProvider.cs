using System.Buffers;
using System.Threading.Channels;

namespace Appraise.Api.Observability;

/// <summary>
/// JSON lines on stdout, written in batches. The framework's console logger writes and flushes
/// every line under a lock, which at thousands of requests per second made request threads
/// wait for the terminal (docs/performance.md). Here each line is formatted on the calling
/// thread into a pooled buffer and one background writer drains the queue into a buffered
/// stream: one write call per batch rather than per line (a write per line cost about 5 % of
/// the service's CPU at 30,000 requests/s). The queue is bounded and waits when full: lines are
/// never dropped, unless the output itself fails.
/// </summary>
public sealed class JsonLineLoggerProvider : ILoggerProvider
{
    private const int BatchBytes = 64 * 1024;

    private readonly Channel<Line> _lines = Channel.CreateBounded<Line>(new BoundedChannelOptions(16_384)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Stream _output;
    private readonly Task _writer;

    public JsonLineLoggerProvider(Stream output)
    {
        _output = new BufferedStream(output, BatchBytes);
        _writer = Task.Run(WriteAsync);
    }

    public ILogger CreateLogger(string categoryName) => new JsonLineLogger(categoryName, this);

    internal void Enqueue(byte[] buffer, int length)
    {
        var line = new Line(buffer, length);
        if (_lines.Writer.TryWrite(line))
        {
            return;
        }
        try
        {
            // Full: wait for the writer rather than lose the line.
            _lines.Writer.WriteAsync(line).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            // Logged after disposal wrote the last lines: there is no writer left, and logging must not throw.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task WriteAsync()
    {
        var reader = _lines.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var line))
                {
                    try
                    {
                        _output.Write(line.Buffer, 0, line.Length);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(line.Buffer);
                    }
                }
                _output.Flush();
            }
        }
        catch (IOException e)
        {
            // The output is gone (a closed pipe). The queue keeps draining, so a full queue can
            // never make request threads wait forever; the lines have nowhere to go.
            ReportLostOutput(e);
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var line))
                {
                    ArrayPool<byte>.Shared.Return(line.Buffer);
                }
            }
        }
    }

    private static void ReportLostOutput(IOException e)
    {
        try
        {
            Console.Error.WriteLine($"appraise: log output failed ({e.Message}); later log lines are dropped.");
        }
        catch (IOException)
        {
            // stderr is gone too: nothing left to tell.
        }
    }

    private readonly record struct Line(byte[] Buffer, int Length);
}
