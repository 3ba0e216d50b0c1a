using Appraise.Api.Reports;
using Appraise.Api.Reports.Sqlite;
using Microsoft.Data.Sqlite;

namespace Appraise.Api.Tests.Reports.Contract;

/// <summary>
/// The whole store contract again with Reports__SqliteJournalMode=delete, the setting for a data
/// directory on a network file system (App Service's /home), plus proof the setting is applied.
/// </summary>
public sealed class SqliteRollbackJournalContractTests : SqliteReportStoreContractTests
{
    protected override string JournalMode => "delete";

    [Fact]
    public async Task TheDatabaseUsesTheRollbackJournalAndNeverAWal()
    {
        var database = await NewDatabaseAsync();
        using (var store = (SqliteReportStore)OpenStore(database, TimeProvider.System))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.EnqueueAsync(new NewReport(NewReport.NewId(), 1, new double[6], 20, "test", DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.False(File.Exists(Path.Combine(database, "appraise.db-wal")));
            Assert.False(File.Exists(Path.Combine(database, "appraise.db-shm")));
        }
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(database, "appraise.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("delete", (string?)await command.ExecuteScalarAsync());
    }
}
