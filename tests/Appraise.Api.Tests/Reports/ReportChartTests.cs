using System.Diagnostics;
using System.Net;
using System.Xml.Linq;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Reports;

public sealed class ReportChartTests
{
    private static async Task<(AppraiseApplication App, HttpClient Client, string Id)> CompletedReport()
    {
        var app = new AppraiseApplication();
        var client = app.CreateAuthorizedClient();
        var id = await ReportApiTests.RequestReport(client);
        await ReportApiTests.WaitForCompleted(client, id);
        return (app, client, id);
    }

    [Fact]
    public async Task TheChartIsAWaterfallLabelledWithEveryFeatureAndValue()
    {
        var (app, client, id) = await CompletedReport();
        await using var _ = app;

        var response = await client.GetAsync($"/api/v1/reports/{id}/chart.svg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        foreach (var label in new[] { "Baseline (the average)", "CHAS = 0", "RM = 6.58", "TAX = 296", "PTRATIO = 15.3", "B = 396.9", "LSTAT = 4.98", "Prediction" })
        {
            Assert.Contains(label, texts);
        }
        Assert.Contains("28.3", texts);
        Assert.Equal(8, svg.Descendants().Count(e => e.Name.LocalName == "rect" && (string?)e.Attribute("rx") == "3"));
    }

    [Fact]
    public async Task TheChartNeedsTheKeyAndACompletedReport()
    {
        var (app, client, id) = await CompletedReport();
        await using var _ = app;

        Assert.Equal((HttpStatusCode)418, (await app.CreateClient().GetAsync($"/api/v1/reports/{id}/chart.svg")).StatusCode);
        await ProblemAssert.Problem(await client.GetAsync($"/api/v1/reports/{Guid.NewGuid()}/chart.svg"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AReportInProgressHasNoChartYet()
    {
        await using var app = new AppraiseApplication(new() { ["Reports:PollInterval"] = "00:10:00" });
        var client = app.CreateAuthorizedClient();
        await client.GetAsync("/readyz");
        var id = await ReportStoreFixtures.EnqueueDirectly(app.DataDirectory);
        await ReportStoreFixtures.ClaimDirectly(app.DataDirectory);

        await ProblemAssert.Problem(await client.GetAsync($"/api/v1/reports/{id}/chart.svg"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task HeadlessChromiumRendersTheChartAsAVisibleImage()
    {
        var (app, client, id) = await CompletedReport();
        await using var _ = app;
        var directory = TempDirectory.Create("chart");
        var svgPath = Path.Combine(directory, "chart.svg");
        var pngPath = Path.Combine(directory, "chart.png");
        await File.WriteAllTextAsync(svgPath, await client.GetStringAsync($"/api/v1/reports/{id}/chart.svg"));

        var chromium = new ProcessStartInfo(Environment.GetEnvironmentVariable("CHROMIUM") ?? "chromium",
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", $"--user-data-dir={Path.Combine(directory, "profile")}",
            "--window-size=800,420", $"--screenshot={pngPath}", $"file://{svgPath}",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using (var process = Process.Start(chromium)!)
        {
            var output = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(File.Exists(pngPath), $"chromium wrote no screenshot: {await output}");
        }

        var image = PngImage.Read(pngPath);
        Assert.Equal((800, 420), (image.Width, image.Height));
        var pixels = image.Width * image.Height;
        var inked = 0;
        var colours = new HashSet<int>();
        for (var i = 0; i < pixels; i++)
        {
            var (r, g, b) = (image.Rgb[i * 3], image.Rgb[(i * 3) + 1], image.Rgb[(i * 3) + 2]);
            inked += r + g + b < 700 ? 1 : 0;
            colours.Add((r << 16) | (g << 8) | b);
        }
        Assert.InRange(inked / (double)pixels, 0.03, 0.6);
        // The bar colours must be on screen: green rises, red falls, blue totals.
        Assert.Contains(0x2e8b57, colours);
        Assert.Contains(0x4a6fa5, colours);
        File.Copy(pngPath, Path.Combine(Path.GetTempPath(), "appraise-last-chart.png"), overwrite: true);
    }
}
