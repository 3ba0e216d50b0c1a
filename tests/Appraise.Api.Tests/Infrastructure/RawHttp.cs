using System.Net.Sockets;
using System.Text;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written byte for byte to a real socket, for requests no client library would send:
/// broken chunked encoding, odd Content-Length headers, bodies that stall.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, CRLF-separated, without the blank line) then the parts of the body with the given pauses; returns the whole response text.</summary>
    public static async Task<string> SendAsync(Uri server, string head, params (string Bytes, TimeSpan PauseBefore)[] body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n\r\n"));
        foreach (var (bytes, pause) in body)
        {
            await Task.Delay(pause);
            try
            {
                await stream.WriteAsync(Encoding.Latin1.GetBytes(bytes));
            }
            catch (IOException)
            {
                // The server answered and closed while the body was still coming: read its answer.
                break;
            }
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = new StringBuilder();
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Append(buffer, 0, read);
                if (IsComplete(response.ToString()))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Reset after the answer: what arrived is the answer.
        }
        return response.ToString();
    }

    public static int Status(string response) =>
        int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsComplete(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }
        var headers = response[..end];
        var length = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (length is not null)
        {
            return response.Length - end - 4 >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return !headers.Contains("chunked", StringComparison.OrdinalIgnoreCase) || response.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }
}
