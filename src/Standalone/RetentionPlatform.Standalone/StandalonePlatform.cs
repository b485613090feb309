using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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

    private readonly List<(string Name, WebApplication App, Uri HttpUrl, Uri GrpcUrl)> _services = [];
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

    /// <summary>The secret the gateway signs each call's tenant with, generated per run (<see cref="RetentionPlatform.Tenancy.GatewayTrust"/>).</summary>
    public string GatewaySecret { get; } = RetentionPlatform.Tenancy.GatewayTrust.NewSecret();

    public string PostgresConnectionString => _postgres?.GetConnectionString(DatabaseName) ?? "";

    /// <summary>The running service applications by name (gateway, events, profiles, ...).</summary>
    public IReadOnlyDictionary<string, WebApplication> Services => _services.ToDictionary(s => s.Name, s => s.App);

    /// <summary>Each service's HTTP/1.1 endpoint (health, direct REST calls) by name.</summary>
    public IReadOnlyDictionary<string, Uri> ServiceHttpUrls => _services.ToDictionary(s => s.Name, s => s.HttpUrl);

    /// <summary>Each service's cleartext HTTP/2 endpoint (gRPC) by name.</summary>
    public IReadOnlyDictionary<string, Uri> ServiceGrpcUrls => _services.ToDictionary(s => s.Name, s => s.GrpcUrl);

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
            [RetentionPlatform.Tenancy.GatewayTrust.SecretKey] = GatewaySecret,
            // One database, a schema per service (each service migrates its own).
            ["ConnectionStrings:eventsdb"] = _postgres.GetConnectionString(DatabaseName),
            ["ConnectionStrings:gatewaydb"] = _postgres.GetConnectionString(DatabaseName),
            ["ConnectionStrings:recommendationsdb"] = _postgres.GetConnectionString(DatabaseName),
            ["ConnectionStrings:schedulingdb"] = _postgres.GetConnectionString(DatabaseName),
        };
        foreach (var (key, value) in options.ServiceSettings)
        {
            common[key] = value;
        }

        // Profiles first: its migrations and silo must be up before events flow in; the gateway last, so
        // nothing reaches a service that is not listening yet. Backends listen on ports the OS assigns at
        // bind time (no window in which another process can take a port picked in advance).
        await StartProfilesAsync(common, cancellationToken);
        await StartServiceAsync("events", AnyPorts, common, [], b => b.AddEventsServices(), a => a.MapEventsEndpoints(), cancellationToken);
        await StartServiceAsync("recommendations", AnyPorts, common, [], b => b.AddRecommendationsServices(), a => a.MapRecommendationsEndpoints(), cancellationToken);
        await StartServiceAsync("scheduling", AnyPorts, common, [], b => b.AddSchedulingServices(), a => a.MapSchedulingEndpoints(), cancellationToken);
        await StartServiceAsync("notifications", AnyPorts, common, new()
        {
            [$"ConnectionStrings:{NotificationsServiceExtensions.DatabaseName}"] = _postgres.GetConnectionString(DatabaseName),
            ["services:profiles:grpc:0"] = ServiceGrpcUrls["profiles"].ToString().TrimEnd('/'),
            ["services:scheduling:grpc:0"] = ServiceGrpcUrls["scheduling"].ToString().TrimEnd('/'),
            ["services:recommendations:grpc:0"] = ServiceGrpcUrls["recommendations"].ToString().TrimEnd('/'),
            [RetentionPlatform.Notifications.Infrastructure.NotificationKeys.MasterKeySetting] = NotificationsMasterKey(options),
            // New work wakes the workers at once; the poll only finds deferred messages and retries that came due.
            ["Notifications:PollInterval"] = "00:00:00.250",
            // A development host: a tenant's SMTP server or webhook may well be on this machine.
            ["Notifications:AllowPrivateNetworkEndpoints"] = "true",
        }, b => b.AddNotificationsServices(), a => a.MapNotificationsEndpoints(), cancellationToken);

        var gateway = new Dictionary<string, string?>();
        foreach (var service in _services)
        {
            gateway[$"services:{service.Name}:grpc:0"] = service.GrpcUrl.ToString().TrimEnd('/');
        }

        var index = 0;
        foreach (var (key, tenant) in options.ApiKeys)
        {
            // No scopes listed: every scope (development keys).
            gateway[$"Gateway:ApiKeys:dev{index}:Tenant"] = tenant;
            gateway[$"Gateway:ApiKeys:dev{index}:Sha256"] = ApiKeyHasher.Hash(key);
            index++;
        }

        gateway["Gateway:Operator:Sha256"] = ApiKeyHasher.Hash(StandaloneOptions.OperatorKey);

        await StartServiceAsync("gateway", (options.GatewayHttpPort, options.GatewayGrpcPort), common, gateway, b => b.AddGatewayServices(), a => a.MapGateway(), cancellationToken);
        GatewayHttpUrl = _services[^1].HttpUrl;
        GatewayGrpcUrl = _services[^1].GrpcUrl;

        // Links in messages lead customers to the gateway, whose port is known only now (0 picks one at bind time).
        Services["notifications"].Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationsOptions>>().Value.PublicBaseUrl = GatewayHttpUrl;
    }

    private static readonly (int Http, int Grpc) AnyPorts = (0, 0);

    /// <summary>
    /// The Notifications master key: kept in the data folder, so links in messages already sent (unsubscribe, a person)
    /// and the sealed channel secrets still work after a restart; a throwaway one for an ephemeral run.
    /// </summary>
    private static string NotificationsMasterKey(StandaloneOptions options)
    {
        if (options.Ephemeral)
        {
            return RetentionPlatform.Notifications.Infrastructure.NotificationKeys.NewMasterKey();
        }

        var path = Path.Combine(Path.GetFullPath(options.DataDirectory), "notifications.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, RetentionPlatform.Notifications.Infrastructure.NotificationKeys.NewMasterKey());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return File.ReadAllText(path).Trim();
    }

    private async Task StartProfilesAsync(Dictionary<string, string?> common, CancellationToken cancellationToken)
    {
        // Orleans cannot listen on an OS-assigned port, so its two are picked beforehand; in the rare case
        // another process takes one in between, the silo is started again on fresh ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartServiceAsync("profiles", AnyPorts, common, new()
                {
                    [$"ConnectionStrings:{ProfilesServiceExtensions.DatabaseName}"] = _postgres!.GetConnectionString(DatabaseName),
                    ["Orleans:Endpoints:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                    ["Orleans:Endpoints:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                }, b => b.AddProfilesServices(), a => a.MapProfilesEndpoints(), cancellationToken);
                return;
            }
            catch (Exception exception) when (attempt < 5 && IsAddressInUse(exception))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || exception is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                return true;
            }

            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse))
            {
                return true;
            }
        }

        return false;
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
        });
        builder.Configuration.AddInMemoryCollection(common);
        builder.Configuration.AddInMemoryCollection(own);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

        // A fixed port (the gateway's 8080) listens on localhost, both address families, like any dev
        // server; port 0 takes whatever the OS assigns on 127.0.0.1, read back once bound.
        ListenOptions? http = null, grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            http = Listen(kestrel, ports.Http, HttpProtocols.Http1);
            grpc = Listen(kestrel, ports.Grpc, HttpProtocols.Http2);
        });

        builder.AddServiceDefaults();
        addServices(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapEndpoints(app);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _services.Add((name, app, BoundUrl(http!, ports.Http), BoundUrl(grpc!, ports.Grpc)));
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, int port, HttpProtocols protocols)
    {
        ListenOptions? listen = null;
        void Configure(ListenOptions options)
        {
            options.Protocols = protocols;
            listen = options;
        }

        if (port == 0)
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, Configure);
        }
        else
        {
            kestrel.ListenLocalhost(port, Configure);
        }

        return listen!;
    }

    private static Uri BoundUrl(ListenOptions listen, int requestedPort) =>
        requestedPort == 0 ? new Uri($"http://{listen.IPEndPoint!}") : new Uri($"http://localhost:{requestedPort}");

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
            Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddPlatformTracing().AddOtlpExporter().Build(),
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
