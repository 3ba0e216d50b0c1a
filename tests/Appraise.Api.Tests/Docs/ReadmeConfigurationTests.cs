using System.Reflection;
using System.Text.RegularExpressions;
using Appraise.Api.Health;
using Appraise.Api.Home;
using Appraise.Api.Hosting;
using Appraise.Api.Model;
using Appraise.Api.OpenInference;
using Appraise.Api.Reports;
using Appraise.Api.Security;

namespace Appraise.Api.Tests.Docs;

/// <summary>The README's configuration table names every setting the code reads, so it cannot fall behind.</summary>
public sealed partial class ReadmeConfigurationTests
{
    private static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Appraise.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Appraise.slnx) is not above the test binaries.");
    }

    /// <summary>Every bound options class, by section: each public property is a setting.</summary>
    public static TheoryData<string> BoundSettings()
    {
        var sections = new (string Section, Type Options)[]
        {
            (ApiKeyOptions.Section, typeof(ApiKeyOptions)),
            (ReportsOptions.Section, typeof(ReportsOptions)),
            (RateLimitingOptions.Section, typeof(RateLimitingOptions)),
            (ShutdownOptions.Section, typeof(ShutdownOptions)),
            (ModelOptions.Section, typeof(ModelOptions)),
            (HomeOptions.Section, typeof(HomeOptions)),
            (ForwardedHeadersSettings.Section, typeof(ForwardedHeadersSettings)),
            (InferenceOptions.Section, typeof(InferenceOptions)),
        };
        var data = new TheoryData<string>();
        foreach (var (section, options) in sections)
        {
            foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var generic = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericTypeDefinition() : null;
                // A list is documented by its first entry, a dictionary by its key's placeholder.
                var suffix = generic == typeof(List<>) ? "__0" : generic == typeof(Dictionary<,>) ? "__<model>" : "";
                data.Add($"{section}__{property.Name}{suffix}");
            }
        }
        return data;
    }

    /// <summary>Every key the code reads by name: Configuration["..."], GetEnvironmentVariable("..."), connection strings.</summary>
    public static TheoryData<string> KeysReadByName()
    {
        var data = new TheoryData<string>();
        var source = Path.Combine(Repository(), "src");
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            foreach (Match match in ReadByName().Matches(File.ReadAllText(file)))
            {
                var key = match.Groups["key"].Value;
                // ASP.NET Core strips the ASPNETCORE_ prefix before the code sees the key.
                data.Add(key == "FORWARDEDHEADERS_ENABLED" ? "ASPNETCORE_FORWARDEDHEADERS_ENABLED" : key);
            }
        }
        data.Add("ConnectionStrings__Reports");
        return data;
    }

    [GeneratedRegex("""(?:Configuration\["|GetEnvironmentVariable\(")(?<key>[A-Za-z_]+)["]""")]
    private static partial Regex ReadByName();

    private static readonly string Table = ConfigurationTable();

    private static string ConfigurationTable()
    {
        var readme = File.ReadAllText(Path.Combine(Repository(), "README.md"));
        var start = readme.IndexOf("| setting (environment variable) |", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no configuration table");
        var end = readme.IndexOf("\n\n", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    [Theory]
    [MemberData(nameof(BoundSettings))]
    public void EveryBoundSettingIsInTheReadmeTable(string setting) =>
        Assert.Contains($"`{setting}`", Table, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(KeysReadByName))]
    public void EveryKeyReadByNameIsInTheReadmeTable(string key) =>
        Assert.Contains(key, Table, StringComparison.Ordinal);

    [Fact]
    public void TheLogLevelOfTheServicesOwnCategoriesIsDocumented() =>
        Assert.Contains("`Logging__LogLevel__Appraise`", Table, StringComparison.Ordinal);
}
