using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// The built Profiles service run as an OS process of its own (<c>dotnet RetentionPlatform.Profiles.dll</c>),
/// configured only through the environment an Aspire AppHost would give it, so that a kill is a real process kill.
/// Its console output is kept (the last lines) for failure messages.
/// </summary>
public sealed class ProfilesServiceProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 300;
    private const int StartAttempts = 3;

    // Whatever happens to the test run, no service process outlives it.
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private volatile bool _addressInUse;

    static ProfilesServiceProcess() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                TryKill(process);
            }
        };

    private ProfilesServiceProcess(string name, Process process, int siloPort, int gatewayPort, Uri httpUrl)
    {
        Name = name;
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpUrl = httpUrl;
    }

    public string Name { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The REST and health endpoint (HTTP/1.1).</summary>
    public Uri HttpUrl { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the service on fresh ports and waits until <c>/health</c> reports healthy. A start that loses a port to
    /// another process in between ("address already in use") is retried on other ports.
    /// </summary>
    public static async Task<ProfilesServiceProcess> StartHealthyAsync(
        string name, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var service = Start(name, environment);
            try
            {
                await service.WaitUntilHealthyAsync(timeout, cancellationToken);
                return service;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && service._addressInUse)
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

    /// <summary>Kills the process and its children at once (no shutdown) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        TryKill(_process);
        await _process.WaitForExitAsync();
        Running.TryRemove(_process.Id, out _);
    }

    public string OutputTail(int lines = 60) =>
        string.Join(Environment.NewLine, _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static ProfilesServiceProcess Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        var ports = DistinctFreePorts(4);
        var (siloPort, gatewayPort, httpPort, grpcPort) = (ports[0], ports[1], ports[2], ports[3]);
        var httpUrl = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}");
        var dll = ServiceAssemblyPath();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Settings of the test runner's own environment must not leak into the service.
        foreach (var key in startInfo.Environment.Keys.Where(IsServiceSetting).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["Kestrel__Endpoints__http__Url"] = httpUrl.ToString().TrimEnd('/');
        startInfo.Environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{grpcPort.ToString(CultureInfo.InvariantCulture)}";
        startInfo.Environment["Kestrel__Endpoints__grpc__Protocols"] = "Http2";
        startInfo.Environment["Orleans__Endpoints__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["Orleans__Endpoints__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var service = new ProfilesServiceProcess(name, process, siloPort, gatewayPort, httpUrl);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{Name} exited with code {_process.ExitCode} before it was healthy.{Environment.NewLine}{OutputTail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} was not healthy within {timeout}.{Environment.NewLine}{OutputTail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
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

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private static bool IsServiceSetting(string key) =>
        key.StartsWith("Orleans__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Kafka__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase);

    private static List<int> DistinctFreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(TestServers.FreePort());
        }

        return [.. ports];
    }

    /// <summary>
    /// <c>src/Profiles/RetentionPlatform.Profiles/bin/&lt;configuration&gt;/net10.0/RetentionPlatform.Profiles.dll</c>, built
    /// with this test project (it references the service), in the configuration the tests themselves were built in.
    /// </summary>
    private static string ServiceAssemblyPath()
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
            : Path.Combine(root.FullName, "src", "Profiles", "RetentionPlatform.Profiles", "bin", configuration, testOutput.Name, "RetentionPlatform.Profiles.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new InvalidOperationException(
                $"The built Profiles service was not found at '{dll}'; build src/Profiles/RetentionPlatform.Profiles -c {configuration} first.");
    }

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
