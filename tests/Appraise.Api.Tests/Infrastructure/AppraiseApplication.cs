using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// The real service on the test server, with its own SQLite directory, a known API key and
/// captured logs. Settings passed in override appsettings, as environment variables would;
/// a null value removes the test default for that key.
/// </summary>
public sealed class AppraiseApplication : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    public AppraiseApplication(Dictionary<string, string?>? settings = null, string environment = "Testing", string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? TempDirectory.Create("appraise-data");
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = ApiKey,
            ["Reports:DataDirectory"] = DataDirectory,
            ["Reports:PollInterval"] = "00:00:00.050",
            ["Shutdown:DrainDelay"] = "00:00:00",
            // A repository a test points at is looked at often, so changes show within a test's patience.
            ["Model:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? [])
        {
            // null removes a test default, leaving the service's own configuration in charge.
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }
    }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; } = new();

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>Waits until /readyz answers 200: the default model is loaded (a repository loads in the background).</summary>
    public async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient();
        await Eventually.Get(async () => (await client.GetAsync("/readyz")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(30), "/readyz to answer 200");
    }

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static JsonContent Json<T>(T value) => JsonContent.Create(value);
}
