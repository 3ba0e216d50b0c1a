using System.Net;
using System.Net.Http.Headers;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Appraise.Api.Tests.Hosting;

/// <summary>Every error answer is problem details with the security headers, tells no lies in the log and echoes nothing back.</summary>
public sealed class ErrorAnswerTests
{
    /// <summary>A path that fails inside the real pipeline, as a bug would.</summary>
    private sealed class FailingPath : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == "/fails" ? throw new InvalidOperationException("a bug") : Task.CompletedTask);
        };
    }

    [Fact]
    public async Task AFailureIsA500ProblemWithTheSecurityHeadersAndTheLogSays500()
    {
        await using var app = new AppraiseApplication();
        using var factory = app.WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingPath>()));

        var response = await factory.CreateClient().GetAsync("/fails");

        await ProblemAssert.Problem(response, HttpStatusCode.InternalServerError);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var access = await Eventually.Get(() => Task.FromResult(app.Logs.Lines.FirstOrDefault(l => l.Contains("responded", StringComparison.Ordinal) && l.Contains("GET", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(5), "the access log line");
        Assert.Contains("responded 500", access, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownPathIsA404ProblemForBrowsersTooAndDoesNotEchoThePath()
    {
        await using var app = new AppraiseApplication();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-place-<script>alert(1)</script>");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");

        var response = await app.CreateClient().SendAsync(request);

        var body = await ProblemAssert.Problem(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain("no-such-place", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task AWrongMethodIsA405ProblemNamingTheAllowedOne()
    {
        await using var app = new AppraiseApplication();

        var response = await app.CreateClient().GetAsync("/api/v1/prediction/");

        await ProblemAssert.Problem(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task AnUnknownReportIdAndAnUnsupportedContentTypeAreNotEchoed()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateAuthorizedClient();
        var long7k = new string('x', 7000);

        var notFound = await ProblemAssert.Problem(await client.GetAsync($"/api/v1/reports/{long7k}"), HttpStatusCode.NotFound);
        var content = new StringContent(Samples.Prediction);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"text/plain; note={long7k}");
        var unsupported = await ProblemAssert.Problem(await client.PostAsync("/api/v1/prediction/", content), HttpStatusCode.UnsupportedMediaType);

        Assert.DoesNotContain("xxxxxxxx", notFound.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxx", unsupported.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownPropertyNameOfKilobytesIsEchoedCutShort()
    {
        await using var app = new AppraiseApplication();
        var name = new string('p', 5000);

        var response = await app.CreateAuthorizedClient().PostAsync("/api/v1/prediction/",
            AppraiseApplication.Json(Samples.Prediction.Replace("\"event_id\"", $"\"{name}\": 1, \"event_id\"", StringComparison.Ordinal)));

        var body = await ProblemAssert.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.True(body.ToJsonString().Length < 1000, $"{body.ToJsonString().Length} characters");
    }

    [Fact]
    public async Task BodyFramingFaultsAre400And408NotAnInternalErrorThroughKestrel()
    {
        await using var service = await ServiceProcess.StartAsync([]);
        var head = "POST /predict HTTP/1.1\nHost: localhost\nContent-Type: application/json";

        var overflow = await RawHttp.SendAsync(service.BaseAddress, head + "\nTransfer-Encoding: chunked", ("FFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n", TimeSpan.Zero));
        // 100 bytes promised, 10 sent, then nothing: Kestrel gives up below 240 bytes/s after its 5 s grace.
        var stalled = await RawHttp.SendAsync(service.BaseAddress, head + "\nContent-Length: 100", ("{\"CHAS\": {", TimeSpan.Zero), (" ", TimeSpan.FromSeconds(12)));

        Assert.Equal(400, RawHttp.Status(overflow));
        Assert.Equal(408, RawHttp.Status(stalled));
        Assert.DoesNotContain("Kestrel", stalled, StringComparison.Ordinal);
        Assert.DoesNotContain("MinRequestBodyDataRate", stalled, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", overflow, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", stalled, StringComparison.Ordinal);
        Assert.DoesNotContain("responded 500", service.Output, StringComparison.Ordinal);
    }
}
