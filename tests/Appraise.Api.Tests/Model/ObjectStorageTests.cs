using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Model;

/// <summary>
/// Model repositories in real storage servers (Azurite for Blob Storage, s3rver for S3), read by
/// the service as a real process with the cloud SDKs' own settings: two models load; a version
/// uploaded under load serves with no failed request; a corrupted upload is refused while the
/// previous version serves; storage stopped and started again changes nothing served; wrong
/// credentials say so in one line and leave the process alive and not ready.
/// </summary>
public sealed class ObjectStorageTests
{
    private const string Infer = """{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [0, 6.575, 296, 15.3, 396.9, 4.98]}]}""";

    public static TheoryData<string> Stores() => ["azure", "s3"];

    private static StorageServer Server(string kind) => kind == "azure" ? new AzuriteServer() : new S3rverServer();

    private static byte[] Settings(Action<JsonNode>? edit = null)
    {
        var settings = Repositories.HousingSettings();
        edit?.Invoke(settings);
        return Encoding.UTF8.GetBytes(settings.ToJsonString());
    }

    private static async Task<StorageServer> RepositoryWithTwoModels(string kind, string prefix)
    {
        var server = Server(kind);
        await server.StartAsync();
        await server.CreateAsync();
        await server.Upload($"{prefix}/housing/1/model.onnx", OnnxModels.EmbeddedBytes());
        await server.Upload($"{prefix}/housing/model-settings.json", Settings());
        await server.Upload($"{prefix}/other/3/model.onnx", OnnxModels.EmbeddedBytes());
        await server.Upload($"{prefix}/other/3/model-settings.json", Settings(s => s["description"] = "the same trees, another name"));
        return server;
    }

    private static Dictionary<string, string?> Service(StorageServer server, string prefix, bool wrongCredentials = false)
    {
        var settings = server.ServiceSettings(prefix, wrongCredentials);
        settings["Model__Default"] = "housing";
        settings["Model__PollInterval"] = "00:00:00.200";
        settings["Model__CacheDirectory"] = TempDirectory.Create("model-cache");
        settings["RateLimiting__Enabled"] = "false";
        return settings;
    }

    private static async Task<string?> ServedVersion(HttpClient client, string model = "housing")
    {
        using var response = await client.PostAsync($"/v2/models/{model}/infer", AppraiseApplication.Json(Infer));
        return response.IsSuccessStatusCode ? (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["model_version"] : null;
    }

    private static HttpClient Client(ServiceProcess service)
    {
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AppraiseApplication.ApiKey);
        return client;
    }

    private static Task<string> Eventually(Func<Task<bool>> condition, string what) =>
        Infrastructure.Eventually.Get(async () => await condition() ? "yes" : null, TimeSpan.FromSeconds(45), what);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TwoModelsLoadAndAVersionUploadedUnderLoadServesWithNoFailedRequest(string kind)
    {
        await using var server = await RepositoryWithTwoModels(kind, "team/a");
        var cache = TempDirectory.Create("model-cache");
        var settings = Service(server, "team/a");
        settings["Model__CacheDirectory"] = cache;
        await using var service = await ServiceProcess.StartAsync(settings);
        using var client = Client(service);
        await Eventually(async () => (await client.GetAsync("/v2/models/other/ready")).IsSuccessStatusCode, "the second model to load");
        Assert.Equal("1", await ServedVersion(client));
        Assert.Equal("3", await ServedVersion(client, "other"));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(cache, "housing", "1")), f => new FileInfo(f).Length == OnnxModels.EmbeddedBytes().Length);

        using var stop = new CancellationTokenSource();
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var load = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync("/v2/models/housing/infer", AppraiseApplication.Json(Infer));
                answers.Add(response.IsSuccessStatusCode ? (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["model_version"]! : $"{(int)response.StatusCode}");
            }
        })).ToList();
        await server.Upload("team/a/housing/2/model.onnx", OnnxModels.EmbeddedBytes());
        await Eventually(() => Task.FromResult(answers.Contains("2")), "version 2 to answer under load");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.All(answers, a => Assert.True(a is "1" or "2", $"an answer other than version 1 or 2: {a}"));
        Assert.Contains("1", answers);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ACorruptedUploadIsRefusedAndThePreviousVersionServes(string kind)
    {
        await using var server = await RepositoryWithTwoModels(kind, "b");
        await using var service = await ServiceProcess.StartAsync(Service(server, "b"));
        using var client = Client(service);

        // The settings with the wrong checksum go first: the other way round, a poll between the
        // two uploads (a busy machine) could find version 2 complete and sound without them.
        await server.Upload("b/housing/2/model-settings.json", Encoding.UTF8.GetBytes($$"""{"sha256": "{{new string('0', 64)}}"}"""));
        await server.Upload("b/housing/2/model.onnx", OnnxModels.EmbeddedBytes());
        await server.Upload("b/housing/3/model.onnx", OnnxModels.EmbeddedBytes()[..4096]);
        await Eventually(() => Task.FromResult(service.Output.Contains("version 2", StringComparison.Ordinal) && service.Output.Contains("its sha256 is", StringComparison.Ordinal)
            && service.Output.Contains("Model housing version 3", StringComparison.Ordinal)), "versions 2 and 3 to be refused");

        Assert.Equal("1", await ServedVersion(client));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/v2/models/housing/versions/2/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/v2/models/housing/versions/3/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task StorageStoppedAndStartedAgainChangesNothingServedUntilAGoodCopyArrives(string kind)
    {
        await using var server = await RepositoryWithTwoModels(kind, "c");
        await using var service = await ServiceProcess.StartAsync(Service(server, "c"));
        using var client = Client(service);
        await Eventually(async () => (await client.GetAsync("/v2/models/other/ready")).IsSuccessStatusCode, "the second model to load");

        await server.StopAsync();
        await Eventually(async () => MetricText.Value(await client.GetStringAsync("/metrics"), "appraise_model_source_errors_total{reason=\"unreachable\"}") >= 2,
            "two failed looks at the stopped storage");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(("1", "3"), (await ServedVersion(client), await ServedVersion(client, "other")));
        Assert.Contains("cannot be read", service.Output, StringComparison.Ordinal);

        await server.StartAsync();
        await server.Upload("c/housing/2/model.onnx", OnnxModels.EmbeddedBytes());
        await Eventually(async () => await ServedVersion(client) == "2", "version 2 to serve after the storage came back");
        Assert.Equal("3", await ServedVersion(client, "other"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task WrongCredentialsSaySoAndTheProcessStaysAliveAndNotReady(string kind)
    {
        await using var server = await RepositoryWithTwoModels(kind, "d");
        await using var service = await ServiceProcess.StartAliveAsync(Service(server, "d", wrongCredentials: true));
        using var client = Client(service);

        await Eventually(() => Task.FromResult(service.Output.Contains("refused the credentials", StringComparison.Ordinal)), "the refusal to be logged");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.True(MetricText.Value(await client.GetStringAsync("/metrics"), "appraise_model_source_errors_total{reason=\"forbidden\"}") >= 1);
        Assert.False(service.HasExited);
        Assert.DoesNotContain(S3rverServer.SecretNeverLogged, service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", service.Output, StringComparison.Ordinal);
    }
}
