using System.Reflection;
using System.Runtime.InteropServices;
using Appraise.Api.Model;

namespace Appraise.Api.About;

/// <summary>What is running: name, version, commit, host, model and runtime.</summary>
public sealed class ServiceInfo
{
    public const string Name = "appraise";

    public ServiceInfo(HousingModel model)
    {
        // The SDK stamps "version+commit" into the informational version when it knows the commit.
        var informational = typeof(ServiceInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        Version = plus < 0 ? informational : informational[..plus];
        Commit = Environment.GetEnvironmentVariable("APPRAISE_COMMIT") is { Length: > 0 } commit
            ? commit
            : plus < 0 ? "unknown" : informational[(plus + 1)..];
        ModelVersion = model.Version;
    }

    public string Version { get; }

    public string Commit { get; }

    public string ModelVersion { get; }

    public static string Hostname => Environment.MachineName;

    public static string Dotnet => RuntimeInformation.FrameworkDescription;
}
