using Appraise.Api.Reports;
using Appraise.Api.Reports.Sqlite;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Tests.Reports;

/// <summary>Drives the real SQLite store directly, as a previous process of the service would have.</summary>
public static class ReportStoreFixtures
{
    public static SqliteReportStore Store(string dataDirectory) =>
        new(Options.Create(new ReportsOptions { DataDirectory = dataDirectory }), new TestEnvironment(dataDirectory), TimeProvider.System);

    public static async Task<string> EnqueueDirectly(string dataDirectory, double[]? features = null)
    {
        var store = Store(dataDirectory);
        await store.InitializeAsync(CancellationToken.None);
        var id = NewReport.NewId();
        await store.EnqueueAsync(new NewReport(id, 7, features ?? [0, 6.575, 296, 15.3, 396.9, 4.98], 28.3, "housing/1", DateTimeOffset.UtcNow), CancellationToken.None);
        return id;
    }

    public static async Task<ReportJob?> ClaimDirectly(string dataDirectory) =>
        (await Store(dataDirectory).ClaimAsync("another-process", TimeSpan.FromMinutes(5), 1, CancellationToken.None)).SingleOrDefault();
}
