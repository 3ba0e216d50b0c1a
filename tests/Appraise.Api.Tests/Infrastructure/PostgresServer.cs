using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server from Debian's binaries, in a temporary data directory on a loopback
/// port, run as the postgres user when the tests run as root (initdb refuses root). Stopped and
/// deleted on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // Debian and Ubuntu install the server binaries per major version; take the newest.
    private static readonly string Binaries = Environment.GetEnvironmentVariable("PG_BIN")
        ?? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).Select(d => Path.Combine(d, "bin")).First();
    private readonly string _directory;

    private PostgresServer(string directory, int port, string? password)
    {
        _directory = directory;
        Port = port;
        _password = password;
    }

    private readonly string? _password;

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>
    /// Starts a server. With <paramref name="passwordAuthentication"/>, TCP connections must
    /// present a password (scram-sha-256), as production servers require; otherwise any local
    /// connection is trusted.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(bool passwordAuthentication = false)
    {
        var directory = TempDirectory.Create("appraise-pg");
        if (IsRoot)
        {
            await Run("chown", "postgres:postgres", directory);
        }
        var password = passwordAuthentication ? $"pg-{Guid.NewGuid():N}" : null;
        var server = new PostgresServer(directory, FreePort(), password);
        string[] authentication = ["--auth=trust"];
        if (password is not null)
        {
            var passwordFile = Path.Combine(directory, "superuser-password");
            await File.WriteAllTextAsync(passwordFile, password);
            if (IsRoot)
            {
                await Run("chown", "postgres:postgres", passwordFile);
            }
            authentication = ["--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}"];
        }
        await RunAsPostgres($"{Binaries}/initdb", ["-D", server.DataDirectory, "-U", "postgres", .. authentication, "-E", "UTF8", "--no-sync"]);
        await server.StartAgainAsync();
        return server;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Password = _password, Database = database }.ConnectionString;

    /// <summary>Runs statements as the superuser on one database.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync() => ConnectionString(await CreateDatabaseNamedAsync());

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseNamedAsync()
    {
        var name = $"appraise_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public Task StartAgainAsync() => RunAsPostgres($"{Binaries}/pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "30",
        "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=300", "start");

    /// <summary>Stops the server the way an outage would: fast shutdown, every connection cut.</summary>
    public Task StopAsync() => RunAsPostgres($"{Binaries}/pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgres($"{Binaries}/pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(_directory, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task RunAsPostgres(string program, params string[] arguments) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", program, .. arguments]) : Run(program, arguments);

    private static async Task Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
