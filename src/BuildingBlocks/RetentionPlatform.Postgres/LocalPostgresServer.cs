using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace RetentionPlatform.Postgres;

/// <summary>
/// A PostgreSQL server for development and tests, run from the locally installed binaries: it listens on
/// 127.0.0.1 only, trusts every local connection and keeps its Unix socket inside a folder it owns. When this
/// process is root, the server runs as the OS user <c>postgres</c>, because PostgreSQL refuses to run as root.
/// </summary>
public sealed partial class LocalPostgresServer : IAsyncDisposable
{
    private const string LoopbackHost = "127.0.0.1";
    private const string LogFileName = "postgres.log";
    private const string StartTimeoutSeconds = "60";
    private const string StopTimeoutSeconds = "30";
    private const string MaintenanceDatabase = "postgres";
    private const int StartAttempts = 3;
    private const int MaxLogTailLines = 30;

    // sun_path holds 108 bytes including the terminating NUL; the socket's name is ".s.PGSQL.<port>".
    private const int MaxSocketDirectoryLength = 107 - 16;

    private static readonly TimeSpan ProcessExitWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OrphanedBackendWait = TimeSpan.FromSeconds(1);

    private readonly string _binDirectory;
    private readonly bool _isThrowaway;
    private readonly string _username;
    private readonly ILogger _logger;
    private readonly Lock _stopGate = new();
    private Task? _stopTask;

    private LocalPostgresServer(
        string dataDirectory, bool isThrowaway, string binDirectory, int port, int processId, string username, ILogger logger)
    {
        DataDirectory = dataDirectory;
        _isThrowaway = isThrowaway;
        _binDirectory = binDirectory;
        Port = port;
        ProcessId = processId;
        _username = username;
        _logger = logger;
    }

    /// <summary>The address the server listens on.</summary>
    public string Host { get; } = LoopbackHost;

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The cluster's data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The process id of the postmaster this instance started.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// Initialises the cluster when needed, starts it and creates the requested databases. A server left running
    /// on a persistent data folder by an earlier process (for example one that was killed) is stopped first.
    /// </summary>
    public static async Task<LocalPostgresServer> StartAsync(
        LocalPostgresOptions options, ILogger? logger = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Username);
        ArgumentNullException.ThrowIfNull(options.Databases);
        foreach (var database in options.Databases)
        {
            if (!IsValidDatabaseName(database))
            {
                throw new ArgumentException($"'{database}' is not a valid PostgreSQL database name.", nameof(options));
            }
        }

        logger ??= NullLogger.Instance;
        var isThrowaway = options.DataDirectory is null;
        var dataDirectory = options.DataDirectory is null
            ? Directory.CreateTempSubdirectory("retention-pg-").FullName
            : Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        try
        {
            var binDirectory = PostgresBinaries.Resolve(
                options.BinDirectory, Environment.GetEnvironmentVariable(PostgresBinaries.EnvironmentVariable), dataDirectory);
            await PrepareDirectoryAsync(dataDirectory, ct).ConfigureAwait(false);
            if (!isThrowaway)
            {
                await StopLeftoverServerAsync(binDirectory, dataDirectory, logger, ct).ConfigureAwait(false);
            }

            if (options.Port != 0 && !IsPortFree(options.Port))
            {
                throw new InvalidOperationException(PortBusyMessage(options.Port));
            }

            if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                await InitializeClusterAsync(binDirectory, dataDirectory, options.Username, isThrowaway, logger, ct).ConfigureAwait(false);
            }

            var (port, processId) = await StartClusterAsync(binDirectory, dataDirectory, options.Port, logger, ct).ConfigureAwait(false);
            var server = new LocalPostgresServer(dataDirectory, isThrowaway, binDirectory, port, processId, options.Username, logger);
            try
            {
                await server.CreateDatabasesAsync(options.Databases, ct).ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return server;
        }
        catch when (isThrowaway)
        {
            TryDeleteDirectory(dataDirectory, logger);
            throw;
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string GetConnectionString(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = _username,
            Database = database,
        }.ConnectionString;
    }

    /// <summary>
    /// Stops the server (fast shutdown, then immediate, then kill). Calling it again does nothing, and it leaves
    /// alone a server that another instance has since started on the same data folder.
    /// </summary>
    public Task StopAsync()
    {
        lock (_stopGate)
        {
            return _stopTask ??= StopCoreAsync();
        }
    }

    /// <summary>Stops the server and deletes a throwaway data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_isThrowaway)
        {
            TryDeleteDirectory(DataDirectory, _logger);
        }
    }

    private async Task StopCoreAsync()
    {
        var pidFile = PostmasterPidFile.TryRead(DataDirectory);
        if (pidFile is null || pidFile.ProcessId != ProcessId)
        {
            LogNotOurServer(_logger, DataDirectory, ProcessId);
            return;
        }

        if (!ProcessProbe.IsRunning(ProcessId))
        {
            pidFile.DeleteStaleLockFiles();
            return;
        }

        await StopClusterAsync(_binDirectory, DataDirectory, ProcessId, _logger, CancellationToken.None).ConfigureAwait(false);
        LogStopped(_logger, DataDirectory, Port);
    }

    private static async Task PrepareDirectoryAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        if (!PostgresProcess.RunsAsRoot)
        {
            return;
        }

        var owner = $"{PostgresProcess.ServiceUser}:{PostgresProcess.ServiceUser}";
        var chown = await PostgresProcess.RunAsync("chown", ["-R", owner, directory], ct).ConfigureAwait(false);
        if (!chown.Succeeded)
        {
            throw new InvalidOperationException($"Could not hand '{directory}' to the OS user '{PostgresProcess.ServiceUser}'. {chown.Describe()}");
        }

        var access = await PostgresProcess.RunAsServiceUserAsync("test", ["-r", directory, "-a", "-w", directory, "-a", "-x", directory], ct)
            .ConfigureAwait(false);
        if (!access.Succeeded)
        {
            throw new InvalidOperationException(
                $"The OS user '{PostgresProcess.ServiceUser}' cannot use '{directory}'. This process is root and PostgreSQL refuses " +
                $"to run as root, so the server runs as '{PostgresProcess.ServiceUser}', which must be able to traverse every " +
                "parent folder (chmod o+x); choose a folder under /tmp or /var/lib, for example. " + access.Describe());
        }
    }

    private static async Task StopLeftoverServerAsync(string binDirectory, string dataDirectory, ILogger logger, CancellationToken ct)
    {
        var pidFile = PostmasterPidFile.TryRead(dataDirectory);
        if (pidFile is null)
        {
            return;
        }

        if (ProcessProbe.IsPostmasterOf(pidFile.ProcessId, dataDirectory))
        {
            LogStoppingLeftover(logger, pidFile.ProcessId, dataDirectory);
            await StopClusterAsync(binDirectory, dataDirectory, pidFile.ProcessId, logger, ct).ConfigureAwait(false);
        }
        else
        {
            LogRemovingStalePidFile(logger, pidFile.ProcessId, dataDirectory);
            pidFile.DeleteStaleLockFiles();
        }
    }

    private static async Task StopClusterAsync(string binDirectory, string dataDirectory, int processId, ILogger logger, CancellationToken ct)
    {
        var pgCtl = Path.Combine(binDirectory, "pg_ctl");
        foreach (var mode in (string[])["fast", "immediate"])
        {
            if (!ProcessProbe.IsRunning(processId))
            {
                break;
            }

            var result = await PostgresProcess.RunAsServiceUserAsync(
                pgCtl, ["stop", "-D", dataDirectory, "-m", mode, "-w", "-t", StopTimeoutSeconds], ct).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return;
            }

            LogStopFailed(logger, mode, dataDirectory, result.Describe());
        }

        if (ProcessProbe.IsRunning(processId))
        {
            LogKilling(logger, processId, dataDirectory);
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(processId);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // It exited on its own meanwhile.
            }

            await WaitForExitAsync(processId, ct).ConfigureAwait(false);
        }

        if (PostmasterPidFile.TryRead(dataDirectory) is { } leftover && leftover.ProcessId == processId)
        {
            leftover.DeleteStaleLockFiles();
        }
    }

    private static async Task WaitForExitAsync(int processId, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ProcessExitWait;
        while (ProcessProbe.IsRunning(processId))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"PostgreSQL process {processId} did not exit after being killed.");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    private static async Task InitializeClusterAsync(
        string binDirectory, string dataDirectory, string username, bool isThrowaway, ILogger logger, CancellationToken ct)
    {
        LogInitializing(logger, dataDirectory, binDirectory);
        List<string> arguments = ["-D", dataDirectory, "--auth=trust", "-U", username, "-E", "UTF8", "--locale=C"];
        if (isThrowaway)
        {
            // A throwaway cluster is deleted anyway; skipping initdb's final flush to disk saves start-up time.
            arguments.Add("--no-sync");
        }

        var result = await PostgresProcess.RunAsServiceUserAsync(Path.Combine(binDirectory, "initdb"), arguments, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"initdb could not initialise a PostgreSQL cluster in '{dataDirectory}'. {result.Describe()}");
        }
    }

    private static async Task<(int Port, int ProcessId)> StartClusterAsync(
        string binDirectory, string dataDirectory, int requestedPort, ILogger logger, CancellationToken ct)
    {
        var socketDirectory = await PrepareSocketDirectoryAsync(dataDirectory, ct).ConfigureAwait(false);
        var logPath = Path.Combine(dataDirectory, LogFileName);
        for (var attempt = 1; ; attempt++)
        {
            var port = requestedPort == 0 ? PickFreePort() : requestedPort;
            var serverOptions = string.Join(
                ' ',
                $"-c listen_addresses={LoopbackHost}",
                $"-p {port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {ShellQuote(socketDirectory)}",
                "-c max_connections=200",
                "-c shared_buffers=128MB");
            var logOffset = File.Exists(logPath) ? new FileInfo(logPath).Length : 0;
            var result = await PostgresProcess.RunAsServiceUserAsync(
                Path.Combine(binDirectory, "pg_ctl"),
                ["start", "-w", "-t", StartTimeoutSeconds, "-D", dataDirectory, "-l", logPath, "-o", serverOptions],
                ct).ConfigureAwait(false);
            var pidFile = PostmasterPidFile.TryRead(dataDirectory);
            if (result.Succeeded && pidFile is not null)
            {
                LogStarted(logger, port, pidFile.ProcessId, dataDirectory);
                return (port, pidFile.ProcessId);
            }

            // pg_ctl gives up after its timeout even though the server may still be coming up.
            if (pidFile is not null && ProcessProbe.IsPostmasterOf(pidFile.ProcessId, dataDirectory))
            {
                await StopClusterAsync(binDirectory, dataDirectory, pidFile.ProcessId, logger, ct).ConfigureAwait(false);
            }

            var logTail = ReadLogTail(logPath, logOffset);
            var portTaken = logTail.Contains("Address already in use", StringComparison.Ordinal);
            if (portTaken && requestedPort == 0 && attempt < StartAttempts)
            {
                LogPortTaken(logger, port);
                continue;
            }

            // Backends of a killed postmaster exit on their own within moments, but until then they keep its
            // shared memory attached and a new postmaster refuses to start.
            if (logTail.Contains("pre-existing shared memory block", StringComparison.Ordinal) && attempt < StartAttempts)
            {
                LogSharedMemoryInUse(logger, dataDirectory);
                await Task.Delay(OrphanedBackendWait, ct).ConfigureAwait(false);
                continue;
            }

            var reason = portTaken ? PortBusyMessage(port) : $"pg_ctl could not start PostgreSQL on port {port} for '{dataDirectory}'.";
            throw new InvalidOperationException(
                $"{reason} {result.Describe()}{Environment.NewLine}Server log '{logPath}', last lines:{Environment.NewLine}{logTail}");
        }
    }

    private static async Task<string> PrepareSocketDirectoryAsync(string dataDirectory, CancellationToken ct)
    {
        if (dataDirectory.Length <= MaxSocketDirectoryLength)
        {
            return dataDirectory;
        }

        // The data folder's path is too long for a Unix socket address, so the socket goes to a short folder of ours.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16];
        var socketDirectory = Path.Combine(Path.GetTempPath(), $"retention-pg-socket-{hash}");
        await PrepareDirectoryAsync(socketDirectory, ct).ConfigureAwait(false);
        return socketDirectory;
    }

    private async Task CreateDatabasesAsync(IReadOnlyList<string> databases, CancellationToken ct)
    {
        if (databases.Count == 0)
        {
            return;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(GetConnectionString(MaintenanceDatabase)) { Pooling = false }.ConnectionString;
        var connection = new NpgsqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            foreach (var database in databases.Distinct(StringComparer.Ordinal))
            {
                var exists = new NpgsqlCommand("select exists (select 1 from pg_database where datname = $1)", connection)
                {
                    Parameters = { new NpgsqlParameter { Value = database } },
                };
                await using (exists.ConfigureAwait(false))
                {
                    if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
                    {
                        continue;
                    }
                }

                var create = new NpgsqlCommand($"create database {QuoteIdentifier(database)}", connection);
                await using (create.ConfigureAwait(false))
                {
                    await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                LogDatabaseCreated(_logger, database, Port);
            }
        }
    }

    private static bool IsValidDatabaseName(string database) =>
        !string.IsNullOrWhiteSpace(database) && !database.Contains('\0', StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(database) <= 63;

    private static string QuoteIdentifier(string identifier) =>
        $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    // pg_ctl hands the server options to /bin/sh.
    private static string ShellQuote(string value) =>
        $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static int PickFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string PortBusyMessage(int port) =>
        $"Port {port} on {LoopbackHost} is already in use, so the local PostgreSQL server cannot listen on it. " +
        $"Stop whatever holds port {port}, or set {nameof(LocalPostgresOptions)}.{nameof(LocalPostgresOptions.Port)} to 0 to pick a free port.";

    private static string ReadLogTail(string logPath, long offset)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == 0 ? "(empty)" : string.Join(Environment.NewLine, lines.TakeLast(MaxLogTailLines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(unreadable: {e.Message})";
        }
    }

    private static void TryDeleteDirectory(string directory, ILogger logger)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, e, directory);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Initialising a PostgreSQL cluster in {DataDirectory} with {BinDirectory}")]
    private static partial void LogInitializing(ILogger logger, string dataDirectory, string binDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "PostgreSQL listens on 127.0.0.1:{Port} (PID {ProcessId}, data in {DataDirectory})")]
    private static partial void LogStarted(ILogger logger, int port, int processId, string dataDirectory);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopped PostgreSQL in {DataDirectory} on port {Port}")]
    private static partial void LogStopped(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "A PostgreSQL server from an earlier run (PID {ProcessId}) still runs on {DataDirectory}; stopping it")]
    private static partial void LogStoppingLeftover(ILogger logger, int processId, string dataDirectory);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Removing the stale lock file of dead PostgreSQL process {ProcessId} in {DataDirectory}")]
    private static partial void LogRemovingStalePidFile(ILogger logger, int processId, string dataDirectory);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "pg_ctl stop -m {Mode} failed for {DataDirectory}: {Details}")]
    private static partial void LogStopFailed(ILogger logger, string mode, string dataDirectory, string details);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Killing PostgreSQL process {ProcessId} of {DataDirectory}")]
    private static partial void LogKilling(ILogger logger, int processId, string dataDirectory);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Not stopping {DataDirectory}: the server this instance started (PID {ProcessId}) is gone")]
    private static partial void LogNotOurServer(ILogger logger, string dataDirectory, int processId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Created database {Database} on port {Port}")]
    private static partial void LogDatabaseCreated(ILogger logger, string database, int port);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Port {Port} was taken before PostgreSQL could bind it; trying another")]
    private static partial void LogPortTaken(ILogger logger, int port);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Old server processes still hold the shared memory of {DataDirectory}; retrying shortly")]
    private static partial void LogSharedMemoryInUse(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Could not delete the throwaway data folder {Directory}")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string directory);
}
