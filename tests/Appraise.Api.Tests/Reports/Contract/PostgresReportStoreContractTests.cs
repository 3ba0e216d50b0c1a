using Appraise.Api.Reports;
using Appraise.Api.Reports.Postgres;
using Appraise.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Appraise.Api.Tests.Reports.Contract;

[Collection(PostgresTests.Name)]
public sealed class PostgresReportStoreContractTests(PostgresFixture postgres) : ReportStoreContract
{
    protected override string Provider => ReportsSetup.Postgres;

    protected override Task<string> NewDatabaseAsync() => postgres.Server.CreateDatabaseAsync();

    protected override IReportStore OpenStore(string database, TimeProvider time) =>
        new PostgresReportStore(
            Options.Create(new ReportsOptions()),
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Reports"] = database }).Build(),
            time);

    protected override async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
