namespace Appraise.Api.Security;

/// <summary>The original service's answer to a missing or wrong API key (operators alert on it).</summary>
public sealed record InvalidApiKeyResponse(string Message)
{
    public static readonly InvalidApiKeyResponse Instance = new("InvalidSecretKeyError: X-Api-Key invalid");
}
