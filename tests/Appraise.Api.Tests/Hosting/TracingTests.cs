using System.Net;
using System.Net.Sockets;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Hosting;

public sealed class TracingTests
{
    /// <summary>
    /// Runs the service with a collector listening for OTLP over HTTP, sends one request, stops the
    /// service (which flushes) and returns the path and body of the first trace export.
    /// </summary>
    private static async Task<(string Path, string Body)> ExportOneRequest(Dictionary<string, string?> environment)
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = ReceiveTraces(collector);

        await using (var service = await ServiceProcess.StartAsync(new(environment)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }))
        {
            using var client = service.CreateClient();
            await client.GetAsync("/helloworld");
            service.Terminate();
            Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(20)), service.Output);
        }
        var (path, body) = await received.WaitAsync(TimeSpan.FromSeconds(10));
        // Protobuf carries strings as UTF-8, so names and attributes can be read as text.
        return (path, System.Text.Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task WithAnOtlpEndpointRequestsAreExportedAsTraces()
    {
        var (path, text) = await ExportOneRequest([]);

        Assert.Equal("/v1/traces", path);
        Assert.Contains("appraise", text, StringComparison.Ordinal);
        Assert.Contains("/helloworld", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStandardServiceNameAndResourceAttributesAreHonoured()
    {
        var (_, text) = await ExportOneRequest(new()
        {
            ["OTEL_SERVICE_NAME"] = "pricing-eu",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=staging,team=valuation",
        });

        Assert.Contains("pricing-eu", text, StringComparison.Ordinal);
        Assert.Contains("staging", text, StringComparison.Ordinal);
        Assert.Contains("valuation", text, StringComparison.Ordinal);
        Assert.DoesNotContain("appraise", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnEndpointNoExporterConnectsAnywhere()
    {
        // Where an OTLP exporter with no endpoint configured sends its spans: localhost:4318 for
        // http/protobuf. Listen there (IPv4 and IPv6 loopback) and count connection attempts.
        using var ipv4 = new TcpListener(IPAddress.Loopback, DefaultOtlpHttpPort);
        using var ipv6 = new TcpListener(IPAddress.IPv6Loopback, DefaultOtlpHttpPort);
        ipv4.Start();
        ipv6.Start();
        var countIpv4 = CountConnections(ipv4);
        var countIpv6 = CountConnections(ipv6);
        int Attempts() => countIpv4() + countIpv6();

        await using (var service = await ServiceProcess.StartAsync(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }))
        {
            using var client = service.CreateClient();
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/helloworld")).StatusCode);
            }
            // A tracer provider flushes at stop: the moment an exporter would certainly connect.
            service.Terminate();
            Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), service.Output);
        }

        Assert.Equal(0, Attempts());
    }

    private const int DefaultOtlpHttpPort = 4318;

    private static Func<int> CountConnections(TcpListener listener)
    {
        var count = 0;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var connection = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref count);
                }
            }
            catch (ObjectDisposedException)
            {
                // The test is over.
            }
            catch (SocketException)
            {
                // The listener was stopped.
            }
        });
        return () => Volatile.Read(ref count);
    }

    private static async Task<(string Path, byte[] Body)> ReceiveTraces(HttpListener collector)
    {
        while (true)
        {
            var context = await collector.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            if (context.Request.Url!.AbsolutePath == "/v1/traces")
            {
                return (context.Request.Url.AbsolutePath, body.ToArray());
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
