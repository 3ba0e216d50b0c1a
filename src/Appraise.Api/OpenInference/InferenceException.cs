using Appraise.Api.Hosting;

namespace Appraise.Api.OpenInference;

/// <summary>
/// A request the Open Inference Protocol answers with an error: its status (400 bad input, 404
/// unknown model or version, 503 not ready) and a message, sent as the protocol's
/// <c>{"error": "..."}</c> (or the gRPC status it maps to).
/// </summary>
public sealed class InferenceException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static InferenceException BadInput(string message) => new(StatusCodes.Status400BadRequest, message);

    public static InferenceException NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static InferenceException NotReady(string message) => new(StatusCodes.Status503ServiceUnavailable, message);

    public IResult ToResult() => Result(Status, Message);

    public static IResult Result(int status, string message) =>
        TypedResults.Json(new ErrorResponse(message), AppJsonContext.Default.ErrorResponse, statusCode: status);
}

/// <summary>The protocol's error body.</summary>
public sealed record ErrorResponse(string Error);
