using System.Diagnostics;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// Polls until a condition holds or a deadline passes (background work, file watching, a
/// process changing state). The deadline is measured on the monotonic clock, so a wall-clock
/// step cannot shorten or stretch it.
/// </summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> attempt, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }
            await Task.Delay(50);
        }
    }
}
