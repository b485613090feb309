using System.Globalization;

namespace RetentionPlatform.Postgres;

/// <summary>
/// The lock file <c>postmaster.pid</c> that a running server keeps in its data directory. Its lines are: process id,
/// data directory, start time, port, first socket directory, listen address, shared memory key and status.
/// </summary>
internal sealed record PostmasterPidFile(string DataDirectory, int ProcessId, int? Port, string? SocketDirectory)
{
    internal const string FileName = "postmaster.pid";

    internal static PostmasterPidFile? TryRead(string dataDirectory)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(dataDirectory, FileName));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        // A file cut short by a crash has no usable process id; 0 then stands for "no live owner".
        var processId = lines.Length > 0 && int.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
        int? port = lines.Length > 3 && int.TryParse(lines[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        var socketDirectory = lines.Length > 4 && !string.IsNullOrWhiteSpace(lines[4]) ? lines[4].Trim() : null;
        return new PostmasterPidFile(dataDirectory, processId, port, socketDirectory);
    }

    /// <summary>
    /// Removes the lock files left behind by a server that died without cleaning up. PostgreSQL itself would refuse
    /// to start while their process id still exists, which includes a killed postmaster that stays a zombie until
    /// its parent reaps it.
    /// </summary>
    internal void DeleteStaleLockFiles()
    {
        if (SocketDirectory is not null && Port is int port)
        {
            var socketLock = Path.Combine(SocketDirectory, $".s.PGSQL.{port.ToString(CultureInfo.InvariantCulture)}.lock");
            if (LockBelongsToThisServer(socketLock))
            {
                File.Delete(socketLock);
                File.Delete(Path.Combine(SocketDirectory, $".s.PGSQL.{port.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        File.Delete(Path.Combine(DataDirectory, FileName));
    }

    private bool LockBelongsToThisServer(string lockPath)
    {
        try
        {
            var firstLine = File.ReadLines(lockPath).FirstOrDefault();
            return int.TryParse(firstLine?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var owner) && owner == ProcessId;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
