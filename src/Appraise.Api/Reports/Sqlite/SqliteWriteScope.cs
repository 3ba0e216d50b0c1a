using Microsoft.Data.Sqlite;

namespace Appraise.Api.Reports.Sqlite;

/// <summary>
/// One group commit's connection and transaction, and its commands: each SQL text is prepared
/// the first time a unit of the group runs it and run again with new values by the next units.
/// A group runs the same few statements for every unit (a savepoint, two inserts, its release),
/// and preparing each anew cost more than running it.
/// </summary>
internal sealed class SqliteWriteScope(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The group's command for <paramref name="sql"/>, with these values bound; the scope disposes it.</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            _commands.Add(sql, command);
        }
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    public Task<int> Execute(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object Value)> parameters) =>
        Command(sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
    }
}
