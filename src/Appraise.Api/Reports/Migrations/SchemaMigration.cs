namespace Appraise.Api.Reports.Migrations;

/// <summary>
/// One versioned SQL file of a provider's schema (Reports/Migrations/{provider}/NNN_name.sql,
/// embedded in the build). Files are applied in version order, each exactly once.
/// </summary>
public sealed record SchemaMigration(int Version, string Name, string Sql)
{
    private const string Prefix = "Appraise.Api.Reports.Migrations.";

    public static IReadOnlyList<SchemaMigration> For(string provider)
    {
        var assembly = typeof(SchemaMigration).Assembly;
        var folder = $"{Prefix}{provider}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[folder.Length..^".sql".Length];
                var underscore = file.IndexOf('_', StringComparison.Ordinal);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new SchemaMigration(int.Parse(file[..underscore], System.Globalization.CultureInfo.InvariantCulture), file[(underscore + 1)..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }
}
