using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// The service as a real operating-system process on a loopback port, for what only a real
/// process shows: signals, exit codes, shutdown timing.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string? _unixSocket;

    private ServiceProcess(Process process, Uri baseAddress, string? unixSocket = null)
    {
        _process = process;
        BaseAddress = baseAddress;
        _unixSocket = unixSocket;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public int ExitCode => _process.ExitCode;

    public static async Task<ServiceProcess> StartAsync(Dictionary<string, string?> environment)
    {
        var service = Launch(environment);
        await service.WaitUntilReady();
        return service;
    }

    /// <summary>Starts the service and waits only until it is alive (/healthz): for a service that may not get ready.</summary>
    public static async Task<ServiceProcess> StartAliveAsync(Dictionary<string, string?> environment)
    {
        var service = Launch(environment);
        await service.WaitUntilReady("/healthz");
        return service;
    }

    /// <summary>
    /// Starts the service without --urls, so where it listens is up to the environment (the
    /// listening conventions); <paramref name="probe"/> is an address it should answer on.
    /// </summary>
    public static async Task<ServiceProcess> StartListeningAsUsersDoAsync(Dictionary<string, string?> environment, Uri probe, params string[] arguments)
    {
        var service = Launch(environment, urls: null, probe, arguments);
        await service.WaitUntilReady();
        return service;
    }

    /// <summary>
    /// Starts the service in a network namespace of its own (<c>unshare --net</c>, loopback up),
    /// so no other process on this machine shares its addresses and ports; <paramref name="alongside"/>
    /// is a shell command started in that namespace first (its output joins the service's). The
    /// service listens on a Unix socket, which every namespace reaches, and <see cref="CreateClient"/>
    /// talks to it there.
    /// </summary>
    public static async Task<ServiceProcess> StartIsolatedAsync(Dictionary<string, string?> environment, string alongside)
    {
        var socket = Path.Combine(TempDirectory.Create("appraise-isolated"), "appraise.sock");
        var start = StartInfo("unshare", ["--net", "--", "/bin/sh", "-c",
            $"ip link set lo up && {{ {alongside} & }} && exec dotnet Appraise.Api.dll --urls http://unix:{socket}"], environment);
        var service = new ServiceProcess(Process.Start(start)!, new Uri("http://localhost"), socket);
        await service.WaitUntilReady();
        return service;
    }

    /// <summary>A free TCP port on the loopback address.</summary>
    public static int FreeLoopbackPort() => FreePort();

    /// <summary>Starts the service expecting it to stop by itself (a refused start-up); returns how it ended.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(Dictionary<string, string?> environment, int? port = null)
    {
        await using var service = Launch(environment, port);
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the service kept running:\n{service.Output}");
        return (service.ExitCode, service.Output);
    }

    private static ServiceProcess Launch(Dictionary<string, string?> environment, int? fixedPort = null)
    {
        var address = new Uri($"http://127.0.0.1:{fixedPort ?? FreePort()}");
        return Launch(environment, address.ToString().TrimEnd('/'), address, []);
    }

    private static ServiceProcess Launch(Dictionary<string, string?> environment, string? urls, Uri baseAddress, string[] arguments)
    {
        string[] listen = urls is null ? [] : ["--urls", urls];
        return new ServiceProcess(Process.Start(StartInfo("dotnet", ["Appraise.Api.dll", .. listen, .. arguments], environment))!, baseAddress);
    }

    private static ProcessStartInfo StartInfo(string program, string[] arguments, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what a test sets decides where the service listens.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_HTTP_PORTS", "URLS" })
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Auth__ApiKeys__0"] = AppraiseApplication.ApiKey;
        start.Environment["Reports__DataDirectory"] = TempDirectory.Create("appraise-process");
        // gRPC's fixed default port would collide between processes started side by side; the gRPC tests give it one.
        start.Environment["Grpc__Port"] = "0";
        foreach (var (key, value) in environment)
        {
            // null removes a default, as if the variable were never set.
            start.Environment[key] = value;
        }
        return start;
    }

    public HttpClient CreateClient() => _unixSocket is null
        ? new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) }
        : new(new SocketsHttpHandler { ConnectCallback = (_, cancel) => ConnectUnixAsync(_unixSocket, cancel) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM, as Kubernetes and docker stop do.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task WaitUntilReady(string path = "/readyz")
    {
        using var client = CreateClient();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync(path)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"The service did not answer {path} with 200:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
