using System.Diagnostics;
using System.Net;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Metrics;

public sealed class MetricsApiTests
{
    private static async Task<string> ScrapeAfterTraffic()
    {
        await using var app = new AppraiseApplication();
        var client = app.CreateClient();
        var authorized = app.CreateAuthorizedClient();
        await client.GetAsync("/api/v1/hello/");
        await authorized.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction));
        await client.PostAsync("/api/v1/prediction/", AppraiseApplication.Json(Samples.Prediction));
        await client.PostAsync("/predict", AppraiseApplication.Json(Samples.PandasThreeRows));
        var id = await Reports.ReportApiTests.RequestReport(authorized);
        await Reports.ReportApiTests.WaitForCompleted(authorized, id);

        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task MetricsCoverRequestsPredictionsKeysReportsAndTheRuntime()
    {
        var text = await ScrapeAfterTraffic();

        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_request_method=\"POST\"[^}]*http_response_status_code=\"418\"[^}]*http_route=\"/api/v1/prediction/\"", text);
        Assert.Contains("appraise_predictions_total{endpoint=\"prediction\",model=\"housing\",version=\"1\"} 2", text, StringComparison.Ordinal);
        // Predictions count rows (three in one /predict request); their duration counts requests.
        Assert.Contains("appraise_predictions_total{endpoint=\"predict\",model=\"housing\",version=\"1\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("appraise_prediction_duration_seconds_count{endpoint=\"predict\",model=\"housing\",version=\"1\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("appraise_prediction_duration_seconds_count{endpoint=\"prediction\",model=\"housing\",version=\"1\"} 2", text, StringComparison.Ordinal);
        Assert.Equal(1, MetricText.Value(text, "appraise_auth_invalid_api_keys_total"));
        Assert.Contains("appraise_reports_jobs_total{outcome=\"accepted\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("appraise_reports_jobs_total{outcome=\"completed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("appraise_reports_queue_depth{state=\"queued\"}", text, StringComparison.Ordinal);
        Assert.True(MetricText.Value(text, "process_cpu_seconds_total") > 0);
        Assert.True(MetricText.Value(text, "process_resident_memory_bytes") > 0);
        Assert.True(MetricText.Value(text, "process_open_fds") >= 1);
        Assert.Contains("dotnet_gc_collections_total{", text, StringComparison.Ordinal);
        Assert.True(MetricText.Value(text, "dotnet_thread_pool_thread_current") >= 1);
        Assert.Contains("appraise_build_info{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsPassPromtoolCheck()
    {
        var text = await ScrapeAfterTraffic();

        var promtool = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(promtool)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"promtool check metrics failed:\n{output}");
    }
}
