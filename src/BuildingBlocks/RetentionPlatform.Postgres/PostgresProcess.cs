using System.ComponentModel;
using System.Diagnostics;

namespace RetentionPlatform.Postgres;

/// <summary>
/// Runs PostgreSQL's command-line tools. PostgreSQL refuses to run as root, so when this process is root the tools
/// run as the OS user <c>postgres</c> through <c>runuser</c>.
/// </summary>
internal static class PostgresProcess
{
    internal const string ServiceUser = "postgres";

    internal static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    internal static Task<ProcessResult> RunAsServiceUserAsync(string executable, IEnumerable<string> arguments, CancellationToken ct) =>
        RunsAsRoot
            ? RunAsync(File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser", ["-u", ServiceUser, "--", executable, .. arguments], ct)
            : RunAsync(executable, arguments, ct);

    internal static async Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The service user may not be able to enter the caller's working directory (e.g. /root).
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Variables such as PGOPTIONS or PGPORT of the caller's shell must not leak into our own cluster.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        // English messages, so that errors surfaced in exceptions are readable everywhere.
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANG"] = "C";

        using var process = StartProcess(startInfo);
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(ct);
        var standardError = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }

        return new ProcessResult(
            Describe(startInfo),
            process.ExitCode,
            await standardOutput.ConfigureAwait(false),
            await standardError.ConfigureAwait(false));
    }

    private static Process StartProcess(ProcessStartInfo startInfo)
    {
        try
        {
            return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {Describe(startInfo)}.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {Describe(startInfo)}: {e.Message}", e);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string Describe(ProcessStartInfo startInfo) =>
        string.Join(' ', [startInfo.FileName, .. startInfo.ArgumentList]);
}
