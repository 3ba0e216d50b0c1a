using Appraise.Api.Health;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Tests.Health;

public sealed class DrainOnShutdownTests
{
    [Fact]
    public async Task TheDrainRunsOnceAndEndsWithoutAnErrorWhenTheShutdownTimeoutCancelsIt()
    {
        var state = new ShutdownState();
        var options = Options.Create(new ShutdownOptions { DrainDelay = TimeSpan.FromHours(1), Timeout = TimeSpan.FromHours(2) });
        var drain = new DrainOnShutdown(state, options, NullLogger<DrainOnShutdown>.Instance);
        using var shutdownTimeout = new CancellationTokenSource();

        var first = drain.StoppingAsync(shutdownTimeout.Token);
        Assert.True(state.IsDraining);
        Assert.False(first.IsCompleted);

        // A second stop (a host stopped twice) does not wait for the delay again.
        Assert.True(drain.StoppingAsync(CancellationToken.None).IsCompletedSuccessfully);

        await shutdownTimeout.CancelAsync();
        await first;
        Assert.True(first.IsCompletedSuccessfully);
    }
}
