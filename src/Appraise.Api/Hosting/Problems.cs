using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraise.Api.Hosting;

/// <summary>The RFC 9457 problem details the API answers with, in one place so wording stays consistent.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Malformed request");

    // Details never echo what the client sent: an echo is an amplifier and a place for injected text.
    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(
            "Content-Type must be application/json (with the body in UTF-8).",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");

    public static ProblemHttpResult BodyTooSlow() =>
        TypedResults.Problem(
            "The request body arrived too slowly and the server stopped waiting for it.",
            statusCode: StatusCodes.Status408RequestTimeout,
            title: "Request timeout");

    public static ProblemHttpResult PayloadTooLarge(long limit) =>
        TypedResults.Problem(
            string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {limit} bytes."),
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Request body too large");

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request is not valid",
            Detail = "See 'errors' for every field that needs a change.",
        });

    public static ProblemHttpResult StoreUnavailable(string detail) =>
        TypedResults.Problem(
            detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Report store unavailable");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult ModelNotReady(string model) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Model not ready",
            detail: $"Model '{model}' is not loaded yet (or its files failed to load); /readyz shows why. Retry shortly.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not available for this model", detail: detail);
}
