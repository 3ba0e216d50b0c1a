namespace Appraise.Api.Tests.Infrastructure;

/// <summary>Polls until a condition holds or a deadline passes (background work, file watching).</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> attempt, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }
            await Task.Delay(50);
        }
    }
}
