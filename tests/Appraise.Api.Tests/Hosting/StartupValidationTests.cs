using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

/// <summary>Bad configuration stops the process at start-up with a message that names the setting.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Reports__MaxAttempts", "0", "Reports:MaxAttempts")]
    [InlineData("Reports__Lease", "00:00:00", "Reports:Lease")]
    [InlineData("Reports__OperationTimeout", "soon", "OperationTimeout")]
    [InlineData("Shutdown__DrainDelay", "00:01:00", "Shutdown:DrainDelay")]
    [InlineData("RateLimiting__PermitsPerSecond", "0", "PermitsPerSecond")]
    [InlineData("Auth__KeyDirectory", "/nonexistent/keys", "Auth:KeyDirectory")]
    public async Task InvalidSettingIsRefusedByName(string variable, string value, string named)
    {
        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync(new() { [variable] = value });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionRefusesToStartWithoutAnApiKey()
    {
        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync(new() { ["Auth__ApiKeys__0"] = null });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("No API key is configured", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortAlreadyInUseEndsWithAnExitCodeAndTheReasonNotACrash()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync([], port);

        Assert.Equal(1, exitCode);
        Assert.Contains("address already in use", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadModelFileStopsStartUpNamingTheFile()
    {
        var path = Path.Combine(TempDirectory.Create("model"), "model.json");
        await File.WriteAllTextAsync(path, """{"format":"appraise-gbr/1","model_version":"x","features":[],"trees":[]}""");

        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync(new() { ["Model__Path"] = path });

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Cannot load model file '{path}'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsCanComeFromMountedFilesNamedAfterTheirKeys()
    {
        var directory = TempDirectory.Create("config");
        await File.WriteAllTextAsync(Path.Combine(directory, "Auth__ApiKeys__0"), "key-from-a-mounted-secret");
        await using var service = await ServiceProcess.StartAsync(new() { ["Auth__ApiKeys__0"] = null, ["ConfigDirectory"] = directory });
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "key-from-a-mounted-secret");

        var response = await client.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
