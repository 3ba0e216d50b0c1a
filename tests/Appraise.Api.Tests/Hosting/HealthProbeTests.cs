using System.Diagnostics;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

/// <summary>The binary's healthcheck mode, which the image's HEALTHCHECK and the Helm test run.</summary>
public sealed class HealthProbeTests
{
    private static Task<(int ExitCode, string Output)> Probe(params string[] arguments) => ProbeWith([], arguments);

    private static async Task<(int ExitCode, string Output)> ProbeWith(Dictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", ["Appraise.Api.dll", "healthcheck", .. arguments])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
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
    public async Task ExitsOneWhenTheServiceSaysItIsNotReady()
    {
        // A draining instance answers /readyz with 503 for the whole drain delay.
        await using var service = await ServiceProcess.StartAsync(new() { ["Shutdown__DrainDelay"] = "00:00:15", ["Shutdown__Timeout"] = "00:00:20" });
        using var client = service.CreateClient();
        service.Terminate();
        await Eventually.Get(async () => (await client.GetAsync("/readyz")).StatusCode == System.Net.HttpStatusCode.ServiceUnavailable ? "" : null,
            TimeSpan.FromSeconds(10), "readiness to turn 503 after SIGTERM");

        var (exitCode, output) = await Probe(new Uri(service.BaseAddress, "/readyz").ToString());

        Assert.Equal(1, exitCode);
        Assert.Contains("503", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAUrlItProbesThePortTheServiceWasToldToListenOn()
    {
        var port = ServiceProcess.FreeLoopbackPort();
        var url = $"http://+:{port}";
        await using var service = await ServiceProcess.StartListeningAsUsersDoAsync(new() { ["ASPNETCORE_URLS"] = url }, new Uri($"http://127.0.0.1:{port}"));

        var (exitCode, output) = await ProbeWith(new() { ["ASPNETCORE_URLS"] = url, ["ASPNETCORE_HTTP_PORTS"] = "1" });

        Assert.Equal(0, exitCode);
        Assert.Contains($"http://127.0.0.1:{port}/healthz: 200", output, StringComparison.Ordinal);
    }
}
