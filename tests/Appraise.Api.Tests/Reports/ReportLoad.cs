using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Reports;

/// <summary>
/// Report load for the kill -9 tests: workers post predictions with reports round-robin over the
/// clients and keep every report id that was acknowledged (200). The ids are the promise the
/// service made; what a killed process did not finish committing must never be among them.
/// </summary>
internal static class ReportLoad
{
    /// <summary>
    /// Loads until <paramref name="acknowledgedBeforeKill"/> reports are acknowledged, runs
    /// <paramref name="kill"/>, lets the surviving clients go on for <paramref name="afterKill"/>,
    /// and returns every acknowledged id.
    /// </summary>
    public static async Task<IReadOnlyList<string>> KillUnderLoad(
        IReadOnlyList<HttpClient> clients, HttpClient killed, Action kill, int acknowledgedBeforeKill, TimeSpan afterKill)
    {
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            var client = clients[worker % clients.Count];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var response = await client.PostAsync("/api/v1/prediction/?generate_report=true", AppraiseApplication.Json(Samples.Prediction));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["report_id"]!);
                    }
                }
                catch (HttpRequestException) when (client == killed)
                {
                    // Its process is gone: what it acknowledged before is what counts.
                    return;
                }
            }
        })).ToList();
        await Eventually.Get(
            () => Task.FromResult(acknowledged.Count >= acknowledgedBeforeKill ? "" : null),
            TimeSpan.FromSeconds(60), $"{acknowledgedBeforeKill} reports acknowledged");
        kill();
        await Task.Delay(afterKill);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return acknowledged.ToList();
    }
}
