namespace Appraise.Api.Security;

/// <summary>Endpoint metadata: this endpoint needs an admin key (the OpenAPI document declares it from this).</summary>
public sealed class AdminKeyRequirement
{
    public static readonly AdminKeyRequirement Instance = new();

    private AdminKeyRequirement()
    {
    }
}
