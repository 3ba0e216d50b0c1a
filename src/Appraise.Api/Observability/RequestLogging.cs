using System.Diagnostics;

namespace Appraise.Api.Observability;

/// <summary>One log line per request: method, route template, status and duration (never headers or bodies).</summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
                LogRequest(context.Request.Method, route, context.Response.StatusCode, elapsedMs);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} responded {StatusCode} in {ElapsedMs:0.000} ms")]
    private partial void LogRequest(string method, string route, int statusCode, double elapsedMs);
}
