namespace Appraise.Api.Home;

/// <summary>The page for people at / (configuration section "Home").</summary>
public sealed class HomeOptions
{
    public const string Section = "Home";

    /// <summary>Serve the HTML page to browsers at /; when false, / answers JSON to everyone.</summary>
    public bool Enabled { get; set; } = true;
}
