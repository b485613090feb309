using System.Globalization;
using System.Text.RegularExpressions;

namespace RetentionPlatform.Benchmarks;

/// <summary>CPU time from <c>/proc</c>: the machine, PostgreSQL's processes, and this process's threads by name (zero elsewhere).</summary>
public static partial class CpuTime
{
    private const double TicksPerSecond = 100; // USER_HZ

    /// <summary>Busy time of all CPUs (everything but idle and iowait).</summary>
    public static TimeSpan MachineBusy()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return TimeSpan.FromSeconds((fields.Sum() - fields[3] - fields[4]) / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>User and system time of the PostgreSQL server listening on <paramref name="port"/>: its postmaster and every child.</summary>
    public static TimeSpan Postgres(int port)
    {
        var processes = Directory.EnumerateDirectories("/proc")
            .Select(d => (Directory: d, Stat: ReadStat(d), Parent: ReadParent(d)))
            .Where(p => p.Stat.Name == "postgres")
            .ToList();
        var postmaster = processes.FirstOrDefault(p => ReadCommandLine(p.Directory).Contains($"-p\0{port}\0", StringComparison.Ordinal));
        if (postmaster.Directory is null)
        {
            return TimeSpan.Zero;
        }

        var postmasterId = Path.GetFileName(postmaster.Directory);
        var ticks = processes.Where(p => p.Directory == postmaster.Directory || p.Parent == postmasterId).Sum(p => p.Stat.Ticks);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>This process's CPU time by thread name, digits folded (<c>rdk:broker1</c> and <c>rdk:broker2</c> count together).</summary>
    public static Dictionary<string, TimeSpan> ThreadsOfThisProcess()
    {
        var byName = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (!Directory.Exists("/proc/self/task"))
        {
            return byName;
        }

        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (ReadStat(task) is ({ } name, var ticks))
            {
                var key = Digits().Replace(name, "#");
                byName[key] = byName.GetValueOrDefault(key) + TimeSpan.FromSeconds(ticks / TicksPerSecond);
            }
        }

        return byName;
    }

    /// <summary>The command name and user+system ticks of one <c>/proc/[pid]</c> or task folder, or nulls.</summary>
    private static (string? Name, long Ticks) ReadStat(string directory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                return (null, 0);
            }

            // After the name: state (field 3) ... utime (14) and stime (15).
            var fields = stat[(close + 2)..].Split(' ');
            return (stat[(open + 1)..close], long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The process ended meanwhile, or is not readable.
            return (null, 0);
        }
    }

    private static string? ReadParent(string directory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static string ReadCommandLine(string directory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, "cmdline"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
