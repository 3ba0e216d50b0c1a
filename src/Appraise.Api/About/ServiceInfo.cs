using System.Reflection;
using System.Runtime.InteropServices;
using Appraise.Api.Model;

namespace Appraise.Api.About;

/// <summary>What is running: name, version, commit, host, model and runtime.</summary>
public sealed class ServiceInfo
{
    public const string Name = "appraise";

    // The SDK stamps "version+commit" into the informational version when it knows the commit.
    private static readonly string Informational =
        typeof(ServiceInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly ModelRegistry _models;

    public ServiceInfo(ModelRegistry models)
    {
        _models = models;
        var plus = Informational.IndexOf('+', StringComparison.Ordinal);
        Commit = Environment.GetEnvironmentVariable("APPRAISE_COMMIT") is { Length: > 0 } commit
            ? commit
            : plus < 0 ? "unknown" : Informational[(plus + 1)..];
    }

    /// <summary>The release version (SemVer, without the commit).</summary>
    public static string ReleaseVersion => Informational.Split('+')[0];

    public string Version => ReleaseVersion;

    public string Commit { get; }

    /// <summary>The default model's serving version ("housing/1"), or "none" while it is not loaded.</summary>
    public string ModelVersion => _models.Default?.Label ?? "none";

    public static string Hostname => Environment.MachineName;

    public static string Dotnet => RuntimeInformation.FrameworkDescription;
}
