using System.Globalization;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// The built Profiles service as an OS process of its own (a <see cref="ServiceProcess"/>) on fresh ports: the silo
/// and gateway ports and the two Kestrel endpoints are chosen per start, the rest of the environment is the caller's.
/// </summary>
public sealed class ProfilesServiceProcess : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private ProfilesServiceProcess(ServiceProcess process, int siloPort, int gatewayPort, Uri httpUrl)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpUrl = httpUrl;
    }

    public string Name => _process.Name;

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The REST and health endpoint (HTTP/1.1).</summary>
    public Uri HttpUrl { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the service on fresh ports and waits until <c>/health</c> reports healthy.</summary>
    public static async Task<ProfilesServiceProcess> StartHealthyAsync(
        string name, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int siloPort = 0, gatewayPort = 0;
        Uri httpUrl = null!;
        var process = await ServiceProcess.StartReadyAsync(
            name,
            ServiceProcess.ServiceAssemblyPath("Profiles", "RetentionPlatform.Profiles"),
            () =>
            {
                var ports = ServiceProcess.FreePorts(4);
                (siloPort, gatewayPort) = (ports[0], ports[1]);
                httpUrl = new Uri($"http://127.0.0.1:{ports[2].ToString(CultureInfo.InvariantCulture)}");
                var all = new Dictionary<string, string>
                {
                    ["DOTNET_ENVIRONMENT"] = "Production",
                    ["Kestrel__Endpoints__http__Url"] = httpUrl.ToString().TrimEnd('/'),
                    ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{ports[3].ToString(CultureInfo.InvariantCulture)}",
                    ["Kestrel__Endpoints__grpc__Protocols"] = "Http2",
                    ["Orleans__Endpoints__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                    ["Orleans__Endpoints__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                };
                foreach (var (key, value) in environment)
                {
                    all[key] = value;
                }

                return new ServiceStart(all) { HealthUrl = new Uri(httpUrl, "/health") };
            },
            timeout,
            cancellationToken);
        return new ProfilesServiceProcess(process, siloPort, gatewayPort, httpUrl);
    }

    /// <summary>Kills the process and its children at once (no shutdown) and waits until it is gone.</summary>
    public Task KillAsync() => _process.KillAsync();

    public string OutputTail(int lines = 60) => _process.OutputTail(lines);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
