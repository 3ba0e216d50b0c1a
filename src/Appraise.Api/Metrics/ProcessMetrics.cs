using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Appraise.Api.Metrics;

/// <summary>
/// The process figures every Prometheus client exposes under standard names
/// (process_cpu_seconds_total, process_resident_memory_bytes, ...), so stock dashboards work, and
/// the thread pool's threads and queue as gauges (the runtime declares them as counters).
/// </summary>
public sealed class ProcessMetrics
{
    public const string MeterName = "Appraise.Process";

    public ProcessMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        var startTime = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        meter.CreateObservableCounter("process.cpu", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "Total user and system CPU time spent.");
        meter.CreateObservableGauge("process.resident_memory", () => Environment.WorkingSet, "By", "Resident memory size.");
        meter.CreateObservableGauge("process.start_time", () => startTime, "s", "Start time of the process since the Unix epoch.");
        meter.CreateObservableGauge("process.open_fds", OpenFiles, "{fd}", "Open file descriptors (counted at most once a second).");
        meter.CreateObservableGauge("dotnet.thread_pool.thread.current", () => ThreadPool.ThreadCount, "{thread}", "Thread-pool worker threads that exist now.");
        meter.CreateObservableGauge("dotnet.thread_pool.queue.length", () => ThreadPool.PendingWorkItemCount, "{work_item}",
            "Work items queued to the thread pool and not started yet.");
    }

    private int _openFiles;
    private long _openFilesCountedAt = Environment.TickCount64 - 1000;

    // Counting costs a stat per descriptor (the runtime resolves each symlink in /proc/self/fd),
    // which was 80 % of a scrape; Prometheus scrapes every 15 s or more, so once a second is plenty.
    private int OpenFiles()
    {
        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref _openFilesCountedAt) >= 1000)
        {
            Volatile.Write(ref _openFiles, CountOpenFiles());
            Volatile.Write(ref _openFilesCountedAt, now);
        }
        return Volatile.Read(ref _openFiles);
    }

    private static int CountOpenFiles()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
