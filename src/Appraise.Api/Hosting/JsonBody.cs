using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Appraise.Api.Hosting;

/// <summary>
/// Reads a JSON request body with an explicit size limit and hands it, unbuffered and
/// uncopied, to a parser. Every way a body can be unusable becomes a problem result.
/// </summary>
public static class JsonBody
{
    public static async ValueTask<JsonBodyResult<T>> ReadAsync<TState, T>(
        HttpRequest request, long limit, TState state, Func<ReadOnlySequence<byte>, TState, T> parse, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Problems.UnsupportedMediaType();
        }
        if (request.ContentLength > limit)
        {
            return Problems.PayloadTooLarge(limit);
        }

        var reader = request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken);
            }
            catch (BadHttpRequestException e)
            {
                // Kestrel's own wording names its internals; the client gets ours.
                return e.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => Problems.PayloadTooLarge(limit),
                    StatusCodes.Status408RequestTimeout => Problems.BodyTooSlow(),
                    _ => Problems.BadRequest("The request body could not be read: its framing (Content-Length or chunked encoding) is invalid."),
                };
            }
            catch (IOException)
            {
                // A transfer encoding Kestrel could not decode, such as a chunk size that overflows.
                return Problems.BadRequest("The request body could not be read: its framing (Content-Length or chunked encoding) is invalid.");
            }
            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return Problems.PayloadTooLarge(limit);
            }
            if (!read.IsCompleted)
            {
                // Nothing consumed, everything examined: the next read returns the whole body so far.
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            try
            {
                if (buffer.IsEmpty)
                {
                    return Problems.BadRequest("The request body is empty; a JSON object is expected.");
                }
                return parse(buffer, state);
            }
            catch (JsonException e)
            {
                return Problems.BadRequest($"The request body is not valid JSON: {e.Message}");
            }
            finally
            {
                reader.AdvanceTo(buffer.End);
            }
        }
    }
}

/// <summary>Either the parsed body or the problem to answer with.</summary>
public readonly struct JsonBodyResult<T>
{
    private JsonBodyResult(T? value, IResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public IResult? Problem { get; }

    public static implicit operator JsonBodyResult<T>(T value) => new(value, null);

    public static implicit operator JsonBodyResult<T>(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem) => new(default, problem);
}
