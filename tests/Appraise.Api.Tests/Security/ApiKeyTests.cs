using System.Net;
using Appraise.Api.Security;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Security;

public sealed class ApiKeyTests
{
    private static async Task<HttpStatusCode> PredictWith(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/prediction/") { Content = AppraiseApplication.Json(Samples.Prediction) };
        request.Headers.Add("X-Api-Key", key);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task SeveralKeysAreValidAtOnceForRotation()
    {
        await using var app = new AppraiseApplication(new() { ["Auth:ApiKeys:1"] = "second-key" });
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PredictWith(client, AppraiseApplication.ApiKey));
        Assert.Equal(HttpStatusCode.OK, await PredictWith(client, "second-key"));
    }

    [Fact]
    public async Task KeyFilesAreReReadWhenTheyChangeWithoutARestart()
    {
        var keys = TempDirectory.Create("keys");
        await File.WriteAllTextAsync(Path.Combine(keys, "api-key"), "old-file-key\n");
        await using var app = new AppraiseApplication(new()
        {
            ["Auth:ApiKeys:0"] = null,
            ["Auth:KeyDirectory"] = keys,
            ["Auth:RefreshInterval"] = "00:00:00.100",
        });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await PredictWith(client, "old-file-key"));

        // Rotate as Kubernetes does: the new key appears, then the old one goes.
        await File.WriteAllTextAsync(Path.Combine(keys, "api-key-next"), "new-file-key");
        await Eventually.Get(async () => await PredictWith(client, "new-file-key") == HttpStatusCode.OK ? "" : null, TimeSpan.FromSeconds(10), "the new key");
        File.Delete(Path.Combine(keys, "api-key"));
        await Eventually.Get(async () => await PredictWith(client, "old-file-key") == (HttpStatusCode)418 ? "" : null, TimeSpan.FromSeconds(10), "the old key to be revoked");
    }

    [Fact]
    public void KeysAreTrimmedDeduplicatedAndMatchedExactly()
    {
        var ring = new ApiKeyRing();
        ring.Replace(["  alpha \n", "beta", "", "beta"]);

        Assert.Equal(2, ring.Count);
        Assert.True(ring.IsValid("alpha"));
        Assert.True(ring.IsValid("beta"));
        Assert.False(ring.IsValid("alph"));
        Assert.False(ring.IsValid("alpha "));
        Assert.False(ring.IsValid(""));
        Assert.False(ring.Replace(["beta", "alpha"]));
    }

    [Fact]
    public async Task DevelopmentRunsWithTheDocumentedDevKey()
    {
        await using var app = new AppraiseApplication(new() { ["Auth:ApiKeys:0"] = null }, environment: "Development");

        Assert.Equal(HttpStatusCode.OK, await PredictWith(app.CreateClient(), "appraise-dev-key"));
    }

    [Fact]
    public async Task KeysNeverAppearInTheLogs()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient();
        await PredictWith(client, AppraiseApplication.ApiKey);
        await PredictWith(client, "a-wrong-key-someone-tried");

        Assert.NotEmpty(app.Logs.Lines);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(AppraiseApplication.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("a-wrong-key-someone-tried", StringComparison.Ordinal));
    }
}
