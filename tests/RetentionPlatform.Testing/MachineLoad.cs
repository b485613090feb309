using System.Diagnostics;
using System.Globalization;

namespace RetentionPlatform.Testing;

/// <summary>
/// What else the machine is doing, and CPU time spent: wall-clock figures mean little when other processes compete
/// for the cores, CPU time per operation still does.
/// </summary>
public static class MachineLoad
{
    /// <summary>Linux's clock ticks per second for /proc times (USER_HZ, 100 on every common kernel).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "unknown".</summary>
    public static string Average()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>This process's CPU time so far (all threads, the garbage collector's included).</summary>
    public static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// CPU time of the PostgreSQL server listening on <paramref name="port"/> and of its running backends (Linux),
    /// summed; zero when it cannot be found. Backends that exit take their time with them, so only a difference over a
    /// phase with a steady connection pool means anything.
    /// </summary>
    public static TimeSpan PostgresCpu(int port)
    {
        var processes = ReadProcesses();
        var portArgument = string.Create(CultureInfo.InvariantCulture, $"\0-p\0{port}\0");
        var server = processes.FirstOrDefault(p => p.Name == "postgres" && ReadCommandLine(p.Id).Contains(portArgument, StringComparison.Ordinal));
        if (server.Id == 0)
        {
            return TimeSpan.Zero;
        }

        var ticks = processes.Where(p => p.Id == server.Id || p.Parent == server.Id).Sum(p => p.CpuTicks);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static List<(int Id, int Parent, string Name, long CpuTicks)> ReadProcesses()
    {
        var processes = new List<(int, int, string, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var nameStart = stat.IndexOf('(', StringComparison.Ordinal);
                var nameEnd = stat.LastIndexOf(')');
                // After the name: state (field 3), parent (4), ..., utime (14), stime (15).
                var fields = stat[(nameEnd + 2)..].Split(' ');
                processes.Add((
                    id,
                    int.Parse(fields[1], CultureInfo.InvariantCulture),
                    stat[(nameStart + 1)..nameEnd],
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                // The process ended while being read.
            }
        }

        return processes;
    }

    private static string ReadCommandLine(int id)
    {
        try
        {
            return "\0" + File.ReadAllText($"/proc/{id}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
