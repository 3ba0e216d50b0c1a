using Microsoft.AspNetCore.WebUtilities;

namespace Appraise.Api.Hosting;

/// <summary>
/// Error statuses without a body (no endpoint for the path, a method the endpoint does not
/// take) answered as problem details, whatever the client accepts: the framework's default
/// falls back to text/plain for a browser. The path is never echoed.
/// </summary>
public static class StatusCodeProblems
{
    public static IApplicationBuilder UseStatusCodeProblems(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            var detail = status == StatusCodes.Status404NotFound ? "Nothing is served at this address; see /docs for the API." : null;
            return TypedResults.Problem(detail, statusCode: status, title: ReasonPhrases.GetReasonPhrase(status)).ExecuteAsync(context.HttpContext);
        });
}
