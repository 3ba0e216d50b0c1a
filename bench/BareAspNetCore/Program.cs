// ASP.NET Core with nothing on it, for make bench (bench/run.sh): Kestrel, routing, the request
// body read to its end and a fixed answer, the bytes appraise answers a 1-row v2 infer with.
// No logging, metrics, tracing, rate limiting, API key, security headers or model: what the
// stack itself allows on this machine, next to nginx (the machine's ceiling) and the Python peer.
//   dotnet BareAspNetCore.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var answer = """{"model_name":"housing","model_version":"1","outputs":[{"name":"variable","datatype":"FP32","shape":[1,1],"data":[28.301868]}]}"""u8.ToArray();
app.MapPost("/v2/models/housing/infer", async (HttpContext context) =>
{
    var body = context.Request.BodyReader;
    while (true)
    {
        var read = await body.ReadAsync(context.RequestAborted);
        body.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer, context.RequestAborted);
});
app.MapGet("/readyz", () => "ok");

app.Run();
