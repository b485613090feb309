using System.Diagnostics;

namespace RetentionPlatform.Postgres;

/// <summary>Tells whether a process recorded in a lock file is still a live PostgreSQL server.</summary>
internal static class ProcessProbe
{
    /// <summary>
    /// True when the process exists and is not a zombie. A killed postmaster stays a zombie until its parent (often
    /// PID 1 in a container) reaps it; it holds no port or memory any more, yet PostgreSQL takes it for alive.
    /// </summary>
    internal static bool IsRunning(int processId)
    {
        if (processId <= 0)
        {
            return false;
        }

        if (Directory.Exists("/proc/self"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{processId}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            // The state follows the command name, which is in parentheses and may itself contain ") ".
            var nameEnd = stat.LastIndexOf(')');
            var state = nameEnd >= 0 && nameEnd + 2 < stat.Length ? stat[nameEnd + 2] : '?';
            return state is not ('Z' or 'X' or 'x');
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when the process is a running postmaster of <paramref name="dataDirectory"/>. After a restart of the
    /// machine or container, the recorded process id may belong to an unrelated process.
    /// </summary>
    internal static bool IsPostmasterOf(int processId, string dataDirectory)
    {
        if (!IsRunning(processId))
        {
            return false;
        }

        // The postmaster makes its data directory its working directory, and pg_ctl passes it as "-D <dir>".
        var workingDirectory = TryReadLink($"/proc/{processId}/cwd");
        if (workingDirectory is not null && SamePath(workingDirectory, dataDirectory))
        {
            return true;
        }

        var arguments = TryReadCommandLine(processId);
        if (arguments is not null)
        {
            var dataOption = Array.IndexOf(arguments, "-D");
            return dataOption >= 0 && dataOption + 1 < arguments.Length && SamePath(arguments[dataOption + 1], dataDirectory);
        }

        if (workingDirectory is not null)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return process.ProcessName.Contains("postgres", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string? TryReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[]? TryReadCommandLine(int processId)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{processId}/cmdline");
            return raw.Length == 0 ? null : raw.TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool SamePath(string left, string right) =>
        string.Equals(
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(left)),
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(right)),
            StringComparison.Ordinal);
}
