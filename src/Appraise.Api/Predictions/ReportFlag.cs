namespace Appraise.Api.Predictions;

/// <summary>Reads the <c>generate_report</c> query flag the way the original service's clients send it.</summary>
public static class ReportFlag
{
    public static bool TryParse(string? text, out bool value)
    {
        value = false;
        if (text is null)
        {
            return true;
        }
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            case "false" or "0" or "no" or "off":
                return true;
            default:
                return false;
        }
    }
}
