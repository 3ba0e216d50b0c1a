namespace Appraise.Api.Tests.Infrastructure;

/// <summary>
/// Scratch directories for the tests, all under one root per test host
/// (<c>$TMPDIR/appraise-tests-&lt;pid&gt;</c>). A run used to leave some 120 directories behind in
/// /tmp, never removed. The host cannot remove its own root as it ends (vstest ends the test host
/// without waiting for ProcessExit handlers, microsoft/vstest#1900), so each host removes the roots
/// of hosts that have ended when it starts, and the test command's xunit stage removes them after
/// its run (tests/lib/run-xunit.sh).
/// </summary>
public static class TempDirectory
{
    private const string RootPrefix = "appraise-tests-";
    private static readonly Lazy<string> Root = new(CreateRoot);

    public static string Create(string prefix)
    {
        var path = Path.Combine(Root.Value, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateRoot()
    {
        RemoveRootsOfEndedHosts();
        var root = Path.Combine(Path.GetTempPath(), RootPrefix + Environment.ProcessId);
        Directory.CreateDirectory(root);
        return root;
    }

    private static void RemoveRootsOfEndedHosts()
    {
        foreach (var root in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            var pid = Path.GetFileName(root)[RootPrefix.Length..];
            if (int.TryParse(pid, out var id) && !IsRunning(id))
            {
                TryDelete(root);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // Best effort: a root another user owns, or one being removed by another host, must not fail a test.
    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
