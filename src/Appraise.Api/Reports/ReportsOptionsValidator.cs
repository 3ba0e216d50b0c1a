using Microsoft.Extensions.Options;

namespace Appraise.Api.Reports;

/// <summary>Rejects report settings that would make the worker spin, stall or never retry.</summary>
public sealed class ReportsOptionsValidator(IConfiguration configuration) : IValidateOptions<ReportsOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportsOptions options)
    {
        var problems = new List<string>();
        var provider = ReportsSetup.ProviderOf(options, configuration);
        if (provider is not (ReportsSetup.Sqlite or ReportsSetup.Postgres))
        {
            problems.Add($"Reports:Provider is '{options.Provider}'; it must be '{ReportsSetup.Sqlite}' or '{ReportsSetup.Postgres}'.");
        }
        var connectionString = configuration.GetConnectionString(ReportsOptions.ConnectionStringName);
        if (provider == ReportsSetup.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            problems.Add("Reports:Provider is 'postgres' but ConnectionStrings:Reports is not set.");
        }
        else if (provider == ReportsSetup.Postgres)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException e)
            {
                // The builder's message names the keyword or position, never the secret value.
                problems.Add($"ConnectionStrings:Reports is not a valid PostgreSQL connection string: {e.Message}");
            }
        }
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            problems.Add("Reports:DataDirectory must name a directory.");
        }
        if (!options.SqliteJournalMode.Equals("wal", StringComparison.OrdinalIgnoreCase)
            && !options.SqliteJournalMode.Equals("delete", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Reports:SqliteJournalMode is '{options.SqliteJournalMode}'; it must be 'wal' or 'delete' (for a network file system).");
        }
        Check(problems, "PollInterval", options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Check(problems, "Lease", options.Lease, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Check(problems, "RetryDelay", options.RetryDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(problems, "OperationTimeout", options.OperationTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Check(problems, "Retention", options.Retention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        Check(problems, "RetentionSweepInterval", options.RetentionSweepInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (options.BatchSize is < 1 or > 1000)
        {
            problems.Add("Reports:BatchSize must be between 1 and 1000.");
        }
        if (options.MaxAttempts is < 1 or > 100)
        {
            problems.Add("Reports:MaxAttempts must be between 1 and 100.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static void Check(List<string> problems, string key, TimeSpan value, TimeSpan minimum, TimeSpan maximum)
    {
        if (value < minimum || value > maximum)
        {
            problems.Add($"Reports:{key} is {value}; it must be between {minimum} and {maximum}.");
        }
    }
}
