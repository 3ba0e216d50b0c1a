using System.Diagnostics;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

/// <summary>The binary's healthcheck mode, which the image's HEALTHCHECK and the Helm test run.</summary>
public sealed class HealthProbeTests
{
    private static async Task<(int ExitCode, string Output)> Probe(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", ["Appraise.Api.dll", "healthcheck", .. arguments])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task ExitsZeroWhenTheServiceAnswers()
    {
        await using var service = await ServiceProcess.StartAsync([]);

        var (exitCode, output) = await Probe(new Uri(service.BaseAddress, "/readyz").ToString());

        Assert.Equal(0, exitCode);
        Assert.Contains("200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitsOneWhenNothingListens()
    {
        var (exitCode, _) = await Probe("http://127.0.0.1:1/healthz");

        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task ExitsOneWhenTheServiceSaysUnhealthy()
    {
        await using var service = await ServiceProcess.StartAsync([]);

        var (exitCode, output) = await Probe(new Uri(service.BaseAddress, "/no-such-endpoint").ToString());

        Assert.Equal(1, exitCode);
        Assert.Contains("404", output, StringComparison.Ordinal);
    }
}
