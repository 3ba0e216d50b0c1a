namespace Appraise.Api.Security;

/// <summary>The admin keys valid right now (the repository API's), kept apart from the API keys.</summary>
public sealed class AdminKeyRing
{
    public ApiKeyRing Keys { get; } = new();
}
