namespace Appraise.Api.Security;

/// <summary>Gathers the keys named by <see cref="ApiKeyOptions"/>: configuration plus key files, for API keys and admin keys.</summary>
public static class ApiKeySources
{
    public static List<string> Read(ApiKeyOptions options) => Read(options.ApiKeys, options.KeyDirectory);

    /// <summary>The admin keys: Auth:AdminKeys plus the files in Auth:AdminKeyDirectory.</summary>
    public static List<string> ReadAdmin(ApiKeyOptions options) => Read(options.AdminKeys, options.AdminKeyDirectory);

    private static List<string> Read(List<string> configured, string? directory)
    {
        // An empty or unset entry (Auth__ApiKeys__0=) is no key at all.
        var keys = configured.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return keys;
        }
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            // Kubernetes projects secrets through hidden "..data" links; the visible names are enough.
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }
            try
            {
                keys.Add(File.ReadAllText(file));
            }
            catch (IOException)
            {
                // Mid-rotation a file can vanish between listing and reading; the next refresh sees the new set.
            }
        }
        return keys;
    }
}
