using System.Net;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>A JSON body sent in two halves with a pause between: a request that is in flight for a while.</summary>
public sealed class SlowContent(string json, TimeSpan pause) : HttpContent
{
    private readonly byte[] _bytes = System.Text.Encoding.UTF8.GetBytes(json);

    public TaskCompletionSource FirstHalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = _bytes.Length / 2;
        await stream.WriteAsync(_bytes.AsMemory(0, half));
        await stream.FlushAsync();
        FirstHalfSent.TrySetResult();
        await Task.Delay(pause);
        await stream.WriteAsync(_bytes.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _bytes.Length;
        return true;
    }
}
