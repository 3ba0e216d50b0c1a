namespace Appraise.Api.Hosting;

/// <summary>
/// Headers that keep browsers from doing anything surprising with the service's responses. They
/// are written as the response starts, so every answer carries them, errors included (the
/// exception handler clears the headers a response had before it failed).
/// </summary>
public static class SecurityHeaders
{
    // Data only: nothing may load, run or frame.
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    // Swagger UI needs its own scripts and styles (and inline styles it sets on elements).
    private const string DocsPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    // The home page: its own script, style and the chart it fetches, nothing inline, nothing from elsewhere.
    private const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = PolicyFor(context);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    private static string PolicyFor(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/docs"))
        {
            return DocsPolicy;
        }
        var contentType = context.Response.ContentType;
        return contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ? PagePolicy : ApiPolicy;
    }
}
