using System.Net;
using System.Text.Json.Nodes;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>Checks that a response is RFC 9457 problem details and returns its parts.</summary>
public static class ProblemAssert
{
    public static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal((int)status, (int)body["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["title"]));
        Assert.False(string.IsNullOrEmpty((string?)body["type"]));
        return body;
    }

    /// <summary>A 422 with an <c>errors</c> map: field name to messages.</summary>
    public static async Task<Dictionary<string, string[]>> Validation(HttpResponseMessage response)
    {
        var body = await Problem(response, HttpStatusCode.UnprocessableEntity);
        return body["errors"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.AsArray().Select(m => (string)m!).ToArray());
    }
}
