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
        // http/protobuf. The service runs in a network namespace of its own, where a listener on
        // that port (IPv4 and IPv6 loopback) prints a line per connection; nothing else on this
        // machine can hold the port there.
        await using var service = await StartBesideAnOtlpPortListener(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var client = service.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/helloworld")).StatusCode);
        }
        // A tracer provider flushes at stop: the moment an exporter would certainly connect.
        service.Terminate();
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), service.Output);

        Assert.DoesNotContain("otlp-connection", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIsolatedListenerSeesAnExporterThatConnects()
    {
        // The control for the test above: the same listener sees an exporter that does send.
        await using var service = await StartBesideAnOtlpPortListener(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://localhost:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var client = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/helloworld")).StatusCode);
        service.Terminate();
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), service.Output);

        Assert.Contains("otlp-connection", service.Output, StringComparison.Ordinal);
    }

    private static async Task<ServiceProcess> StartBesideAnOtlpPortListener(Dictionary<string, string?> environment)
    {
        var service = await ServiceProcess.StartIsolatedAsync(environment, $"/usr/bin/python3 -c '{OtlpPortListener}'");
        await Eventually.Get(() => Task.FromResult(service.Output.Contains("otlp-listener ready", StringComparison.Ordinal) ? "ready" : null),
            TimeSpan.FromSeconds(20), "the OTLP port listener");
        return service;
    }

    // Listens on port 4318 of both loopback addresses (IPv6 where the kernel has it), prints
    // "otlp-connection" per connection, and ends with the service (the process it was started
    // beside becomes the service: PR_SET_PDEATHSIG) or after two minutes at most.
    private const string OtlpPortListener = """
        import ctypes, select, signal, socket
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
        signal.alarm(120)
        listeners = []
        for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            try:
                s = socket.socket(family)
                s.bind((address, 4318))
                s.listen()
                listeners.append(s)
            except OSError:
                pass
        print("otlp-listener ready", flush=True)
        while True:
            for s in select.select(listeners, [], [])[0]:
                s.accept()[0].close()
                print("otlp-connection", flush=True)
        """;

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
