using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using RetentionPlatform.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RetentionPlatform.Deployment.Tests;

/// <summary>
/// The platform as the AppHost runs it: the Kafka broker tool and every service as OS processes of their own (two
/// Profiles silos), each service with its own fresh database and exactly the environment of <see cref="AppHostEnvironment"/>,
/// all reporting telemetry to an <see cref="OtlpSink"/>. Started once for the tests of a class, killed afterwards.
/// </summary>
public sealed class DeployedPlatform(IMessageSink diagnostics) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, (string Directory, string Project)> Assemblies = new()
    {
        [AppHostEnvironment.Gateway] = ("Gateway", "RetentionPlatform.Gateway"),
        [AppHostEnvironment.Events] = ("Events", "RetentionPlatform.Events"),
        [AppHostEnvironment.Profiles] = ("Profiles", "RetentionPlatform.Profiles"),
        [AppHostEnvironment.Recommendations] = ("Recommendations", "RetentionPlatform.Recommendations"),
        [AppHostEnvironment.Scheduling] = ("Scheduling", "RetentionPlatform.Scheduling"),
        [AppHostEnvironment.Notifications] = ("Notifications", "RetentionPlatform.Notifications"),
    };

    private readonly List<PlatformProcess> _processes = [];
    private ServiceProcess? _broker;

    public OtlpSink Telemetry { get; private set; } = null!;

    public AppHostEnvironment Environment { get; private set; } = null!;

    /// <summary>Each database's connection string by its name (<c>profilesdb</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings { get; private set; } = null!;

    /// <summary>Every service process, in start order.</summary>
    public IReadOnlyList<PlatformProcess> Processes => _processes;

    /// <summary>How long starting everything took, and each process in it (for the test output).</summary>
    public string StartTimings { get; private set; } = "";

    public PlatformProcess Process(string resource, int replica = 0) =>
        _processes.Single(p => p.Resource == resource && p.Replica == replica);

    public Uri GatewayHttpUrl => Process(AppHostEnvironment.Gateway).Endpoints.HttpUrl;

    public async Task InitializeAsync()
    {
        var total = Stopwatch.StartNew();
        var timings = new List<string>();
        try
        {
            Telemetry = await OtlpSink.StartAsync();
            var databases = await Task.WhenAll(AppHostEnvironment.DatabaseOf.Values.Select(async name => (name, await TestServers.CreateDatabaseAsync(name))));
            ConnectionStrings = databases.ToDictionary(d => d.name, d => d.Item2);
            timings.Add($"sink and databases {total.Elapsed.TotalSeconds:F1} s");

            _broker = await StartBrokerAsync();
            var brokerPort = _broker.Start.Arguments[1];
            timings.Add($"broker {total.Elapsed.TotalSeconds:F1} s");
            Environment = new AppHostEnvironment(Telemetry.Endpoint, $"127.0.0.1:{brokerPort}", ConnectionStrings);

            // Profiles first (replica 0 alone, so the schema migration runs once), the gateway last: the order of the
            // AppHost's WaitFor.
            foreach (var resource in AppHostEnvironment.Services)
            {
                for (var replica = 0; replica < AppHostEnvironment.ReplicasOf(resource); replica++)
                {
                    await StartServiceAsync(resource, replica);
                    timings.Add($"{resource}#{replica} {total.Elapsed.TotalSeconds:F1} s");
                }
            }
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The platform did not start ({string.Join(", ", timings)}).{System.Environment.NewLine}{e.Message}", e);
        }

        StartTimings = string.Join(", ", timings);
        diagnostics.OnMessage(new DiagnosticMessage($"Platform started: {StartTimings}."));
    }

    /// <summary>The last output lines of the processes of <paramref name="resources"/> (all when none named), for failure messages.</summary>
    public string OutputTails(params string[] resources) =>
        string.Join(System.Environment.NewLine, _processes
            .Where(p => resources.Length == 0 || resources.Contains(p.Resource))
            .Select(p => $"--- {p.Resource}#{p.Replica} ({p.InstanceId}){(p.Process.HasExited ? " EXITED" : "")}:{System.Environment.NewLine}{p.Process.OutputTail(40)}")
            .Append($"--- kafka broker:{System.Environment.NewLine}{_broker?.OutputTail(10)}"));

    public async Task DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].Process.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }
    }

    /// <summary>
    /// The local-servers mode's Kafka: the KafkaBroker tool, on the port it is told (<c>--port</c>): <paramref name="port"/>,
    /// or a free one for each start attempt.
    /// </summary>
    public static Task<ServiceProcess> StartBrokerAsync(int? port = null) =>
        ServiceProcess.StartReadyAsync(
            "kafka",
            ServiceProcess.ServiceAssemblyPath("Tools", "RetentionPlatform.KafkaBroker"),
            () => new ServiceStart(new Dictionary<string, string>())
            {
                Arguments = ["--port", (port ?? ServiceProcess.FreePorts(1)[0]).ToString(CultureInfo.InvariantCulture)],
                ReadyOutput = "Kafka bootstrap servers:",
            },
            StartTimeout);

    private async Task StartServiceAsync(string resource, int replica)
    {
        var attempts = 0;
        var (directory, project) = Assemblies[resource];
        var process = await ServiceProcess.StartReadyAsync(
            $"{resource}#{replica}",
            ServiceProcess.ServiceAssemblyPath(directory, project),
            () =>
            {
                // The ports of the first attempt are the ones other resources were told about; a retry (a port was
                // taken in between) needs new ones.
                var endpoints = attempts++ == 0 ? Environment.EndpointsOf(resource, replica) : Environment.AllocateEndpoints(resource, replica);
                // Like DCP's suffixes: a dashboard shows a resource's several instances as "profiles-<id>".
                var instanceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
                return new ServiceStart(Environment.For(resource, replica, instanceId)) { HealthUrl = new Uri(endpoints.HttpUrl, "/health") };
            },
            StartTimeout);
        var started = process.Start.Environment["OTEL_RESOURCE_ATTRIBUTES"]["service.instance.id=".Length..];
        _processes.Add(new PlatformProcess(resource, replica, started, Environment.EndpointsOf(resource, replica), process));
    }
}
