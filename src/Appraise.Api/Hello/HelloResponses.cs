namespace Appraise.Api.Hello;

/// <summary><c>{"message":"Hello World"}</c>, as every seed answers.</summary>
public sealed record HelloResponse(string Message)
{
    public static readonly HelloResponse Instance = new("Hello World");
}

/// <summary><c>{"test":"test"}</c> (seed 003).</summary>
public sealed record TestResponse(string Test)
{
    public static readonly TestResponse Instance = new("test");
}

/// <summary>GET /: the greeting plus which instance answered.</summary>
public sealed record RootResponse(string Message, string Service, string Version, string Hostname);
