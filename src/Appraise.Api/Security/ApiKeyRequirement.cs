namespace Appraise.Api.Security;

/// <summary>Endpoint metadata: this endpoint needs an API key (the OpenAPI document declares it from this).</summary>
public sealed class ApiKeyRequirement
{
    public static readonly ApiKeyRequirement Instance = new();

    private ApiKeyRequirement()
    {
    }
}
