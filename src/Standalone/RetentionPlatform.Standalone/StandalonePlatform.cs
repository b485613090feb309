using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RetentionPlatform.EventBus;
using RetentionPlatform.EventBus.EmbeddedBroker;
using RetentionPlatform.Events;
using RetentionPlatform.Gateway;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Notifications;
using RetentionPlatform.Postgres;
using RetentionPlatform.Profiles;
using RetentionPlatform.Recommendations;
using RetentionPlatform.Scheduling;

namespace RetentionPlatform.Standalone;

/// <summary>
/// The whole platform in one process: PostgreSQL from the machine's binaries, the embedded Kafka broker,
/// and every service as its own web application on its own ports, wired through the same configuration
/// keys an Aspire AppHost would inject (<c>ConnectionStrings__*</c>, <c>services__*</c>, <c>Kestrel</c>).
/// </summary>
public sealed class StandalonePlatform : IAsyncDisposable
{
    public const string DatabaseName = "retention";

    private readonly List<(string Name, WebApplication App, Uri HttpUrl)> _services = [];
    private LocalPostgresServer? _postgres;
    private EmbeddedKafkaBroker? _kafka;
    private List<IDisposable> _telemetry = [];
    private bool _stopped;

    private StandalonePlatform()
    {
    }

    public Uri GatewayHttpUrl { get; private set; } = null!;

    public Uri GatewayGrpcUrl { get; private set; } = null!;

    public string KafkaBootstrapServers => _kafka?.BootstrapServers ?? "";

    public string PostgresConnectionString => _postgres?.GetConnectionString(DatabaseName) ?? "";

    /// <summary>The running service applications by name (gateway, events, profiles, ...).</summary>
    public IReadOnlyDictionary<string, WebApplication> Services => _services.ToDictionary(s => s.Name, s => s.App);

    /// <summary>Each service's HTTP/1.1 endpoint (health, direct REST calls) by name.</summary>
    public IReadOnlyDictionary<string, Uri> ServiceHttpUrls => _services.ToDictionary(s => s.Name, s => s.HttpUrl);

    public static async Task<StandalonePlatform> StartAsync(StandaloneOptions options, CancellationToken cancellationToken = default)
    {
        var platform = new StandalonePlatform();
        try
        {
            await platform.StartCoreAsync(options, cancellationToken);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(StandaloneOptions options, CancellationToken cancellationToken)
    {
        _telemetry = StartProcessTelemetry();

        _postgres = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions
            {
                DataDirectory = options.Ephemeral ? null : Path.Combine(Path.GetFullPath(options.DataDirectory), "postgres"),
                Databases = [DatabaseName],
            },
            ct: cancellationToken);

        _kafka = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Topics = EventTopics.ToProvision() });

        var common = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:kafka"] = _kafka.BootstrapServers,
            // librdkafka's mock broker holds an empty fetch for the whole wait instead of answering when data
            // arrives (a real broker answers at once): a short wait keeps events from idling up to 500 ms.
            ["Kafka:Consumer:fetch.wait.max.ms"] = "10",
            [Microsoft.Extensions.Hosting.Extensions.SharedProcessTelemetryKey] = "true",
        };
        foreach (var (key, value) in options.ServiceSettings)
        {
            common[key] = value;
        }

        var backends = new Dictionary<string, (int Http, int Grpc)>();
        foreach (var name in new[] { "profiles", "events", "recommendations", "scheduling", "notifications" })
        {
            backends[name] = (FreePorts.Next(), FreePorts.Next());
        }

        // Profiles first: its migrations and silo must be up before events flow in; the gateway last, so
        // nothing reaches a service that is not listening yet.
        await StartServiceAsync("profiles", backends["profiles"], common, new()
        {
            [$"ConnectionStrings:{ProfilesServiceExtensions.DatabaseName}"] = _postgres.GetConnectionString(DatabaseName),
            ["Orleans:Endpoints:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        }, b => b.AddProfilesServices(), a => a.MapProfilesEndpoints(), cancellationToken);
        await StartServiceAsync("events", backends["events"], common, [], b => b.AddEventsServices(), a => a.MapEventsEndpoints(), cancellationToken);
        await StartServiceAsync("recommendations", backends["recommendations"], common, [], b => b.AddRecommendationsServices(), a => a.MapRecommendationsEndpoints(), cancellationToken);
        await StartServiceAsync("scheduling", backends["scheduling"], common, [], b => b.AddSchedulingServices(), a => a.MapSchedulingEndpoints(), cancellationToken);
        await StartServiceAsync("notifications", backends["notifications"], common, [], b => b.AddNotificationsServices(), a => a.MapNotificationsEndpoints(), cancellationToken);

        var gateway = new Dictionary<string, string?>();
        foreach (var (name, ports) in backends)
        {
            gateway[$"services:{name}:grpc:0"] = $"http://127.0.0.1:{ports.Grpc}";
        }

        var index = 0;
        foreach (var (key, tenant) in options.ApiKeys)
        {
            gateway[$"Gateway:ApiKeys:standalone{index}:Tenant"] = tenant;
            gateway[$"Gateway:ApiKeys:standalone{index}:Sha256"] = ApiKeyHasher.Hash(key);
            gateway[$"Gateway:ApiKeys:standalone{index}:Scopes:0"] = "ingest";
            gateway[$"Gateway:ApiKeys:standalone{index}:Scopes:1"] = "read";
            index++;
        }

        var gatewayPorts = (FreePorts.OrNext(options.GatewayHttpPort), FreePorts.OrNext(options.GatewayGrpcPort));
        await StartServiceAsync("gateway", gatewayPorts, common, gateway, b => b.AddGatewayServices(), a => a.MapGateway(), cancellationToken);
        GatewayHttpUrl = new Uri($"http://localhost:{gatewayPorts.Item1}");
        GatewayGrpcUrl = new Uri($"http://localhost:{gatewayPorts.Item2}");
    }

    private async Task StartServiceAsync(
        string name,
        (int Http, int Grpc) ports,
        Dictionary<string, string?> common,
        Dictionary<string, string?> own,
        Action<WebApplicationBuilder> addServices,
        Action<WebApplication> mapEndpoints,
        CancellationToken cancellationToken)
    {
        // The gateway listens on localhost (both address families) like any dev server; backends on 127.0.0.1 only.
        var host = name == "gateway" ? "localhost" : "127.0.0.1";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = $"RetentionPlatform.{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name)}",
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Each service's own appsettings.json is for running it alone; here the host decides everything.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:RetentionPlatform"] = "Information",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            // Development-only noise: keys stay in memory, and the watchdog's first check has no baseline.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            ["Logging:LogLevel:Orleans.Runtime.Watchdog"] = "Error",
            ["OTEL_SERVICE_NAME"] = name,
            ["Kestrel:Endpoints:http:Url"] = $"http://{host}:{ports.Http}",
            ["Kestrel:Endpoints:grpc:Url"] = $"http://{host}:{ports.Grpc}",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
        });
        builder.Configuration.AddInMemoryCollection(common);
        builder.Configuration.AddInMemoryCollection(own);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

        builder.AddServiceDefaults();
        addServices(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapEndpoints(app);

        await app.StartAsync(cancellationToken);
        _services.Add((name, app, new Uri($"http://{host}:{ports.Http}")));
    }

    private static List<IDisposable> StartProcessTelemetry()
    {
        // Activity and meter listeners are process-wide: one pipeline records every service's spans once.
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            return [];
        }

        var resource = ResourceBuilder.CreateDefault().AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "retention-platform");
        return
        [
            Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddPlatformTracing(recordHealthChecks: false).AddOtlpExporter().Build(),
            Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddPlatformMetrics().AddOtlpExporter().Build(),
        ];
    }

    /// <summary>Stops the gateway first and storage last, so no request or event is cut off mid-way.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            var app = _services[i].App;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }

        _services.Clear();
        _kafka?.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        foreach (var provider in _telemetry)
        {
            provider.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
