namespace Appraise.Api.Security;

/// <summary>Gathers the keys named by <see cref="ApiKeyOptions"/>: configuration plus key files.</summary>
public static class ApiKeySources
{
    public static List<string> Read(ApiKeyOptions options)
    {
        // An empty or unset entry (Auth__ApiKeys__0=) is no key at all.
        var keys = options.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (string.IsNullOrWhiteSpace(options.KeyDirectory) || !Directory.Exists(options.KeyDirectory))
        {
            return keys;
        }
        foreach (var file in Directory.EnumerateFiles(options.KeyDirectory))
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
