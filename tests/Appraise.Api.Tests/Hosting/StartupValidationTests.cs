using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

/// <summary>
/// Bad configuration stops the process at start-up with exit code 1 and one log line that names
/// the setting: no stack trace, no crash dump, nothing else to read.
/// </summary>
public sealed class StartupValidationTests
{
    /// <summary>The one line a refused start-up writes: Critical, from Appraise.Startup, no stack frames anywhere.</summary>
    private static string OneLineReason(int exitCode, string output)
    {
        Assert.Equal(1, exitCode);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var problems = lines.Where(l => l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(problems);
        Assert.Contains("\"Category\":\"Appraise.Startup\"", line, StringComparison.Ordinal);
        return line;
    }

    [Theory]
    [InlineData("Reports__MaxAttempts", "0", "Reports:MaxAttempts")]
    [InlineData("Reports__MaxAttempts", "five", "Reports:MaxAttempts")]
    [InlineData("Reports__Lease", "00:00:00", "Reports:Lease")]
    [InlineData("Reports__SqliteJournalMode", "memory", "Reports:SqliteJournalMode")]
    [InlineData("Reports__OperationTimeout", "soon", "OperationTimeout")]
    [InlineData("Shutdown__DrainDelay", "00:01:00", "Shutdown:DrainDelay")]
    [InlineData("RateLimiting__PermitsPerSecond", "0", "PermitsPerSecond")]
    [InlineData("Auth__KeyDirectory", "/nonexistent/keys", "Auth:KeyDirectory")]
    [InlineData("ConfigDirectory", "/nonexistent/config", "ConfigDirectory")]
    [InlineData("ConnectionStrings__Reports", "Host=db;this is not a connection string", "ConnectionStrings:Reports")]
    [InlineData("ForwardedHeaders__KnownNetworks__0", "10.0.0.0", "ForwardedHeaders:KnownNetworks:0")]
    [InlineData("ForwardedHeaders__KnownProxies__0", "ingress", "ForwardedHeaders:KnownProxies:0")]
    [InlineData("Model__Path", "/nonexistent/model.json", "Model:Path")]
    [InlineData("Grpc__Port", "70000", "Grpc:Port")]
    [InlineData("Grpc__Port", "grpc", "Grpc:Port")]
    [InlineData("Inference__MaxRows", "0", "Inference:MaxRows")]
    [InlineData("Inference__MaxBodyBytes", "10", "Inference:MaxBodyBytes")]
    [InlineData("Model__RepositoryApi", "true", "Model:RepositoryApi is on but no admin key")]
    [InlineData("Auth__AdminKeyDirectory", "/nonexistent/admin-keys", "Auth:AdminKeyDirectory")]
    [InlineData("Auth__AdminKeys__0", AppraiseApplication.ApiKey, "An admin key is also an API key")]
    public async Task InvalidSettingIsRefusedByNameInOneLine(string variable, string value, string named)
    {
        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync(new() { [variable] = value });

        Assert.Contains(named, OneLineReason(exitCode, output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionRefusesToStartWithoutAnApiKey()
    {
        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync(new() { ["Auth__ApiKeys__0"] = null });

        Assert.Contains("No API key is configured", OneLineReason(exitCode, output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADataDirectoryThatCannotBeWrittenIsRefusedNamingTheSettingAndTheFix()
    {
        // A path under a regular file can be created by nobody, root included.
        var file = Path.Combine(TempDirectory.Create("not-a-directory"), "file");
        await File.WriteAllTextAsync(file, "");

        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync(new() { ["Reports__DataDirectory"] = Path.Combine(file, "data") });

        var line = OneLineReason(exitCode, output);
        Assert.Contains("Reports__DataDirectory", line, StringComparison.Ordinal);
        Assert.Contains("Mount a writable volume", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortAlreadyInUseEndsWithOneLineAndTheWayOut()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync([], port);

        var line = OneLineReason(exitCode, output);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_HTTP_PORTS", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelSettingsThatCannotWorkStopStartUpNamingTheSetting()
    {
        var twoModels = Repositories.Create();
        Repositories.AddVersion(twoModels, "housing", 1, OnnxModels.EmbeddedBytes());
        Repositories.AddVersion(twoModels, "other", 1, OnnxModels.EmbeddedBytes());

        var retired = await ServiceProcess.RunUntilExitAsync(new() { ["Model__Path"] = "/models/housing-gbr.json" });
        var missing = await ServiceProcess.RunUntilExitAsync(new() { ["Model__Repository"] = "/nonexistent/models" });
        var ambiguous = await ServiceProcess.RunUntilExitAsync(new() { ["Model__Repository"] = twoModels });

        Assert.Contains("Model:Path is retired", OneLineReason(retired.ExitCode, retired.Output), StringComparison.Ordinal);
        Assert.Contains("Model:Repository '/nonexistent/models' is not a directory", OneLineReason(missing.ExitCode, missing.Output), StringComparison.Ordinal);
        Assert.Contains("set Model:Default to the one behind the seed endpoints", OneLineReason(ambiguous.ExitCode, ambiguous.Output), StringComparison.Ordinal);
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
