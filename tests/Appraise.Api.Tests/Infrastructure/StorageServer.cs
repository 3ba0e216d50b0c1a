using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Azure.Storage.Blobs;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// A real object storage server from npm (tests/storage: Azurite 3.37.0 for Blob Storage, s3rver
/// 3.7.1 for S3), started in a temporary directory on a free port, which can be stopped and started
/// again on the same data and port. <see cref="Upload"/> writes as a user's release pipeline would,
/// with the cloud's own .NET SDK; <see cref="ServiceSettings"/> is what appraise needs to read it.
/// </summary>
public abstract class StorageServer : IAsyncDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    protected StorageServer()
    {
        Port = ServiceProcess.FreeLoopbackPort();
        DataDirectory = TempDirectory.Create("storage");
    }

    public int Port { get; }

    protected string DataDirectory { get; }

    public abstract string Kind { get; }

    /// <summary>Environment for the appraise process: the repository in this server, with valid credentials (or not).</summary>
    public abstract Dictionary<string, string?> ServiceSettings(string prefix, bool wrongCredentials = false);

    /// <summary>Creates the container or bucket.</summary>
    public abstract Task CreateAsync();

    /// <summary>Writes one object, as a release pipeline would.</summary>
    public abstract Task Upload(string key, byte[] content);

    protected abstract ProcessStartInfo Command(string bin);

    public static string Bin(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "tests", "storage", "node_modules", ".bin", name);
            if (File.Exists(Path.Combine(directory.FullName, "Appraise.slnx")))
            {
                return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run tools/install-checkers.sh storage (the test command does).");
            }
        }
        throw new InvalidOperationException("The repository root (Appraise.slnx) is not above the test binaries.");
    }

    public async Task StartAsync()
    {
        _output.Clear();
        _process = Process.Start(Command(Bin(Kind == "azure" ? "azurite-blob" : "s3rver")))!;
        // Read what it prints, so a full pipe never stalls it, and to say why it did not start.
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Node starting on two cores shared with a build and other tests: minutes, not seconds.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Kind} storage exited with {_process.ExitCode} before it listened: {Printed()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"{Kind} storage did not listen on {Port} within 2 minutes: {Printed()}");
    }

    private void Remember(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private string Printed() => string.Join(" | ", _output.TakeLast(20));

    /// <summary>
    /// Stops the server as an operator would (SIGTERM), so it keeps what it was given: Azurite writes
    /// its blob index to disk at intervals and on a clean exit, and a kill in between loses the
    /// container it holds. Killed only if it has not exited within 30 s.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Azurite's Blob service, on disk so a restart keeps the blobs; the container "models".</summary>
public sealed class AzuriteServer : StorageServer
{
    // Azurite's documented development account and key (not a secret: every Azurite has them).
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public override string Kind => "azure";

    private string ConnectionString(string key) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={key};BlobEndpoint=http://127.0.0.1:{Port}/{Account};";

    private BlobContainerClient Container => new BlobServiceClient(ConnectionString(Key)).GetBlobContainerClient("models");

    public override Dictionary<string, string?> ServiceSettings(string prefix, bool wrongCredentials = false) => new()
    {
        ["Model__Repository"] = $"http://127.0.0.1:{Port}/{Account}/models/{prefix}",
        ["Model__StorageConnectionString"] = ConnectionString(wrongCredentials ? Convert.ToBase64String(new byte[64]) : Key),
    };

    public override Task CreateAsync() => Container.CreateIfNotExistsAsync();

    public override Task Upload(string key, byte[] content) => Container.GetBlobClient(key).UploadAsync(new BinaryData(content), overwrite: true);

    protected override ProcessStartInfo Command(string bin) => new(bin,
        ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", DataDirectory,
         "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
}

/// <summary>s3rver, on disk; the bucket "models"; its fixed credentials S3RVER / S3RVER.</summary>
public sealed class S3rverServer : StorageServer
{
    /// <summary>The secret key the service is given (s3rver does not check it): it must never reach the log.</summary>
    public const string SecretNeverLogged = "s3-secret-never-logged";

    public override string Kind => "s3";

    // AWSSDK 4 sends bodies aws-chunked with a checksum trailer by default, which s3rver 3.7.1 stores
    // as it arrives: plain bodies, and checksums only where an operation requires them.
    private AmazonS3Client Client => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = $"http://127.0.0.1:{Port}",
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
    });

    public override Dictionary<string, string?> ServiceSettings(string prefix, bool wrongCredentials = false) => new()
    {
        ["Model__Repository"] = $"s3://models/{prefix}",
        ["Model__S3ForcePathStyle"] = "true",
        ["AWS_ENDPOINT_URL_S3"] = $"http://127.0.0.1:{Port}",
        ["AWS_REGION"] = "us-east-1",
        // s3rver 3.7.1 checks the access key id, not SigV4 signatures (lib/middleware/authentication.js:
        // "Signature version 4 calculation is unimplemented"): a wrong key id is what it refuses.
        ["AWS_ACCESS_KEY_ID"] = wrongCredentials ? "NOT-S3RVER" : "S3RVER",
        ["AWS_SECRET_ACCESS_KEY"] = SecretNeverLogged,
    };

    public override async Task CreateAsync()
    {
        using var client = Client;
        await client.PutBucketAsync("models");
    }

    public override async Task Upload(string key, byte[] content)
    {
        using var client = Client;
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "models", Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });
    }

    protected override ProcessStartInfo Command(string bin) => new(bin,
        ["--directory", DataDirectory, "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
}
