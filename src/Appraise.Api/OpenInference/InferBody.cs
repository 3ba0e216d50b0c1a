using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Appraise.Api.OpenInference;

/// <summary>
/// Reads an inference request over REST: the whole body up to Inference:MaxBodyBytes, split into
/// its JSON and, with the binary tensor data extension, the tensors after it
/// (Inference-Header-Content-Length gives the JSON's length). Every way a body can be unusable
/// is an <see cref="InferenceException"/>.
/// </summary>
public static class InferBody
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    public static async Task<InferRequest> ReadAsync(HttpRequest request, long limit, long maxValues, CancellationToken cancellationToken)
    {
        if (request.ContentType is { Length: > 0 } type && !request.HasJsonContentType()
            && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new InferenceException(StatusCodes.Status415UnsupportedMediaType,
                "Content-Type must be application/json, or application/octet-stream with Inference-Header-Content-Length (binary tensor data)");
        }
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
        var reader = request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(limit);
            }
            catch (Exception e) when (e is BadHttpRequestException or IOException)
            {
                throw InferenceException.BadInput("the request body could not be read: its framing (Content-Length or chunked encoding) is invalid");
            }
            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw TooLarge(limit);
            }
            if (!read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            try
            {
                var jsonLength = JsonLength(request, buffer.Length);
                return InferRequestReader.Read(buffer.Slice(0, jsonLength), buffer.Slice(jsonLength), maxValues);
            }
            finally
            {
                reader.AdvanceTo(buffer.End);
            }
        }
    }

    /// <summary>The JSON's length: Inference-Header-Content-Length, or the whole body without it.</summary>
    private static long JsonLength(HttpRequest request, long bodyLength)
    {
        var header = request.Headers[HeaderLengthHeader];
        if (header.Count == 0)
        {
            if (bodyLength == 0)
            {
                throw InferenceException.BadInput("the request body is empty; an inference request (JSON) is expected");
            }
            return bodyLength;
        }
        if (header.Count > 1 || !long.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > bodyLength)
        {
            throw InferenceException.BadInput($"{HeaderLengthHeader} must be the length in bytes of the JSON at the start of the body");
        }
        if (length == 0)
        {
            throw InferenceException.BadInput($"{HeaderLengthHeader}: 0 (a raw tensor without JSON) is not supported; send the JSON request with binary_data_size on the input");
        }
        return length;
    }

    private static InferenceException TooLarge(long limit) => new(StatusCodes.Status413PayloadTooLarge,
        string.Create(CultureInfo.InvariantCulture, $"the request body is larger than {limit} bytes (Inference:MaxBodyBytes)"));
}
