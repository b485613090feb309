using System.Collections.Concurrent;
using System.Diagnostics;

namespace RetentionPlatform.Testing;

/// <summary>
/// A built service run as an OS process of its own (<c>dotnet &lt;Project&gt;.dll</c>), configured only through the
/// environment it is given, as an Aspire AppHost runs it: settings of the test runner's own environment do not leak
/// in, and a kill is a real process kill. Its output is kept (the last lines) for failure messages; whatever happens
/// to the test run, no process started here outlives it.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 3000;
    private const int StartAttempts = 3;

    // Keys, or key prefixes, of the settings services read from the environment (configuration sections and the
    // variables of ASP.NET Core, .NET hosting, OpenTelemetry and the broker tool). Compared without regard to case.
    private static readonly string[] ServiceSettingPrefixes =
    [
        "ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_LAUNCH_PROFILE", "OTEL_", "KAFKA_BROKER_PORT",
        "ConnectionStrings__", "services__", "Kestrel__", "Logging__", "Orleans__", "Kafka__", "Platform__",
        "Gateway__", "Events__", "Profiles__", "Recommendations__", "Scheduling__", "Notifications__",
    ];

    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _readyOutputSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _addressInUse;

    static ServiceProcess() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                TryKill(process);
            }
        };

    private ServiceProcess(string name, ServiceStart start, Process process)
    {
        Name = name;
        Start = start;
        _process = process;
    }

    /// <summary>The name used in failure messages.</summary>
    public string Name { get; }

    /// <summary>How the running process was started (its environment, arguments, readiness check).</summary>
    public ServiceStart Start { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="assemblyPath"/> with what <paramref name="startAttempt"/> returns and waits until it is
    /// ready. A start that loses a port to another process in between ("address already in use") is retried with a
    /// new <see cref="ServiceStart"/> (<paramref name="startAttempt"/> is called again, so it should pick fresh ports).
    /// </summary>
    /// <exception cref="InvalidOperationException">The process exited before it was ready (its output is in the message).</exception>
    /// <exception cref="TimeoutException">The process was not ready within <paramref name="timeout"/>.</exception>
    public static async Task<ServiceProcess> StartReadyAsync(
        string name, string assemblyPath, Func<ServiceStart> startAttempt, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(startAttempt);
        for (var attempt = 1; ; attempt++)
        {
            var service = Launch(name, assemblyPath, startAttempt());
            try
            {
                await service.WaitUntilReadyAsync(timeout, cancellationToken);
                return service;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException && attempt < StartAttempts && service._addressInUse)
            {
                await service.DisposeAsync();
            }
            catch
            {
                await service.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// <c>src/&lt;serviceDirectory&gt;/&lt;project&gt;/bin/&lt;configuration&gt;/&lt;framework&gt;/&lt;project&gt;.dll</c> of this
    /// repository, in the configuration and target framework the calling tests were built in (the test project
    /// references the service, so it is built with it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The assembly is not there (the message says what to build).</exception>
    public static string ServiceAssemblyPath(string serviceDirectory, string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "RetentionPlatform.sln")))
        {
            root = root.Parent;
        }

        var dll = root is null
            ? null
            : Path.Combine(root.FullName, "src", serviceDirectory, project, "bin", configuration, testOutput.Name, $"{project}.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new InvalidOperationException(
                $"The built service was not found at '{dll}'; build src/{serviceDirectory}/{project} -c {configuration} first.");
    }

    /// <summary>
    /// <paramref name="count"/> distinct loopback ports that were free a moment ago, for one start attempt (another
    /// process may take one before the service binds it: <see cref="StartReadyAsync"/> then tries again).
    /// </summary>
    public static IReadOnlyList<int> FreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(TestServers.FreePort());
        }

        return [.. ports];
    }

    /// <summary>Kills the process and its children at once (no shutdown) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        TryKill(_process);
        await _process.WaitForExitAsync();
        Running.TryRemove(_process.Id, out _);
    }

    /// <summary>The last <paramref name="lines"/> lines the process wrote (standard output and error, interleaved).</summary>
    public string OutputTail(int lines = 60) =>
        string.Join(Environment.NewLine, _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static ServiceProcess Launch(string name, string assemblyPath, ServiceStart start)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(assemblyPath);
        foreach (var argument in start.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.Where(IsServiceSetting).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in start.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var service = new ServiceProcess(name, start, process);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{Name} exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{OutputTail()}");
            }

            if (Start.HealthUrl is null ? _readyOutputSeen.Task.IsCompleted : await IsHealthyAsync(http, Start.HealthUrl, cancellationToken))
            {
                return;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout}.{Environment.NewLine}{OutputTail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, Uri healthUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(healthUrl, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not listening yet.
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            _addressInUse = true;
        }

        if (Start.ReadyOutput is { } ready && line.Contains(ready, StringComparison.Ordinal))
        {
            _readyOutputSeen.TrySetResult();
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private static bool IsServiceSetting(string key) =>
        ServiceSettingPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
    }
}
