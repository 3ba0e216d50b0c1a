using Appraise.Api.Reports;
using Appraise.Api.Reports.Sqlite;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Appraise.Api.Tests.Reports.Contract;

public class SqliteReportStoreContractTests : ReportStoreContract
{
    /// <summary>Reports__SqliteJournalMode the store runs with.</summary>
    protected virtual string JournalMode => "wal";

    protected override string Provider => ReportsSetup.Sqlite;

    protected override Task<string> NewDatabaseAsync() => Task.FromResult(TempDirectory.Create("appraise-sqlite"));

    protected override IReportStore OpenStore(string database, TimeProvider time) =>
        new SqliteReportStore(Options.Create(new ReportsOptions { DataDirectory = database, SqliteJournalMode = JournalMode }), new TestEnvironment(database), time);

    protected override async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(database, "appraise.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
