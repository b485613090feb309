using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Deployment.Tests;

/// <summary>
/// Liveness and readiness as an orchestrator sees them, on one service deployed alone (the Events service as its own
/// process against its own database and a broker process): while its Kafka broker is gone the service stays alive
/// (do not restart it) but is not ready (send it no traffic), and it becomes ready again by itself when the broker is
/// back on the same address.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AServiceWhoseBrokerIsGoneIsAliveButNotReadyAndReadyAgainWhenItReturns()
    {
        await using var telemetry = await OtlpSink.StartAsync();
        var eventsDb = AppHostEnvironment.DatabaseOf[AppHostEnvironment.Events];
        var connectionStrings = new Dictionary<string, string> { [eventsDb] = await TestServers.CreateDatabaseAsync(eventsDb) };
        var brokerPort = ServiceProcess.FreePorts(1)[0];
        var broker = await DeployedPlatform.StartBrokerAsync(brokerPort);
        try
        {
            var environment = new AppHostEnvironment(telemetry.Endpoint, $"127.0.0.1:{brokerPort.ToString(CultureInfo.InvariantCulture)}", connectionStrings);
            await using var events = await ServiceProcess.StartReadyAsync(
                "events",
                ServiceProcess.ServiceAssemblyPath("Events", "RetentionPlatform.Events"),
                () =>
                {
                    // Fresh ports for each attempt (one may be taken in between), then the environment that names them.
                    var endpoints = environment.AllocateEndpoints(AppHostEnvironment.Events);
                    var instanceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
                    return new ServiceStart(environment.For(AppHostEnvironment.Events, 0, instanceId)) { HealthUrl = new Uri(endpoints.HttpUrl, "/health") };
                },
                StartTimeout);
            var http = environment.EndpointsOf(AppHostEnvironment.Events).HttpUrl;
            using var probes = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(10) };

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await ProbeAsync(probes));

            await broker.DisposeAsync();
            var down = await Eventually.GetAsync(() => ProbeAsync(probes), p => p.Ready != HttpStatusCode.OK, "/ready to fail without the broker", ProbeTimeout);
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable), down);

            broker = await DeployedPlatform.StartBrokerAsync(brokerPort);
            var back = await Eventually.GetAsync(() => ProbeAsync(probes), p => p.Ready == HttpStatusCode.OK, "/ready to pass with the broker back", ProbeTimeout);
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), back);
            Assert.False(events.HasExited, $"The service exited.{Environment.NewLine}{events.OutputTail()}");
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static async Task<(HttpStatusCode Alive, HttpStatusCode Ready)> ProbeAsync(HttpClient probes)
    {
        using var alive = await probes.GetAsync(new Uri("/alive", UriKind.Relative));
        using var ready = await probes.GetAsync(new Uri("/ready", UriKind.Relative));
        return (alive.StatusCode, ready.StatusCode);
    }
}
