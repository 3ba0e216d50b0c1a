using System.Diagnostics;

namespace Appraise.Api.Observability;

/// <summary>
/// Per request: one log line (method, route template, status, duration; never headers or
/// bodies), taken outside the exception handler so it records the status the client got; and,
/// when the request is being traced, the span's name and semantic-convention tags, which
/// ASP.NET Core leaves to instrumentation libraries we do not have.
/// </summary>
public sealed partial class RequestTelemetry(RequestDelegate next, ILogger<RequestTelemetry> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            // Escaped every handler (the response had already started): the client got a failure.
            failed = true;
            throw;
        }
        finally
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            var method = context.Request.Method;
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (Activity.Current is { Recorded: true } span)
            {
                span.DisplayName = $"{method} {route}";
                span.SetTag("http.request.method", method);
                span.SetTag("http.route", route);
                span.SetTag("url.path", context.Request.Path.Value);
                span.SetTag("http.response.status_code", status);
            }
            if (logger.IsEnabled(LogLevel.Information))
            {
                LogRequest(method, route, status, elapsedMs);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} responded {StatusCode} in {ElapsedMs:0.000} ms")]
    private partial void LogRequest(string method, string route, int statusCode, double elapsedMs);
}
