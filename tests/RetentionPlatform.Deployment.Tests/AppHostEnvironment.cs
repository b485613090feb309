using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Deployment.Tests;

/// <summary>
/// The one place that says what environment the Aspire AppHost (<c>aspire/RetentionPlatform.AppHost/Program.cs</c>)
/// gives each resource, so the two can be compared line by line: every variable a service process gets in these tests
/// is set here, and nothing else is (<see cref="ServiceProcess"/> removes the test runner's own service settings).
/// </summary>
/// <remarks>
/// <para>
/// What the AppHost declares, and how it shows up here:
/// <list type="bullet">
/// <item><c>AddProject&lt;...&gt;("name")</c>: the launch profile's <c>ASPNETCORE_ENVIRONMENT</c>, <c>DOTNET_LAUNCH_PROFILE</c>,
/// <c>OTEL_SERVICE_NAME</c>, a <c>service.instance.id</c> per process, the dashboard's <c>OTEL_*</c> settings and the
/// console log format (<see cref="Common"/>), and a URL for each Kestrel endpoint the service declares in its
/// <c>appsettings.json</c> (<c>http</c> and <c>grpc</c>; the <c>Protocols: Http2</c> of <c>grpc</c> stays from that file).</item>
/// <item><c>postgres.AddDatabase("&lt;name&gt;")</c> + <c>WithReference(db)</c>: <c>ConnectionStrings__&lt;name&gt;</c> to its one owner.</item>
/// <item>The Kafka broker (the local-servers mode runs the KafkaBroker tool as a project) + <c>WithKafka(infrastructure)</c>:
/// <c>ConnectionStrings__kafka</c> and, against that embedded broker, a short consumer session
/// (<c>Kafka__Consumer__session.timeout.ms</c>, <c>heartbeat.interval.ms</c>) to every service but the gateway.</item>
/// <item><c>WithReference(project)</c>: <c>services__&lt;name&gt;__http__0</c> and <c>services__&lt;name&gt;__grpc__0</c>.</item>
/// <item>Parameters (PlatformKeys.cs): the shared <c>Platform__GatewaySecret</c>, the gateway's operator and two bootstrap key hashes,
/// Notifications' master key and public base URL.</item>
/// <item>Profiles <c>WithReplicas(2)</c> and the Orleans resource (<c>Orleans__*</c>: ADO.NET clustering and reminders on
/// <c>profilesdb</c>, cluster and service ids, distributed tracing, silo and gateway ports per replica).</item>
/// </list>
/// </para>
/// <para>
/// The databases are those of the AppHost's default (containers: one database per service) and Kafka that of its
/// local-servers mode (the embedded broker as a process): the halves of the switch this machine can run.
/// </para>
/// <para>
/// The one deliberate deviation: under Aspire, the two Profiles replicas sit behind one proxy and the gateway and
/// Notifications get a single <c>services__profiles__*__0</c>; here nothing proxies, so they get both silos' addresses
/// as <c>__0</c> and <c>__1</c>.
/// </para>
/// </remarks>
public sealed class AppHostEnvironment
{
    public const string Gateway = "gateway";
    public const string Events = "events";
    public const string Profiles = "profiles";
    public const string Recommendations = "recommendations";
    public const string Scheduling = "scheduling";
    public const string Notifications = "notifications";

    /// <summary>The tenant of the bootstrap API key <see cref="DevApiKey"/> (<c>Gateway__ApiKeys__dev0__Tenant</c>).</summary>
    public const string DevTenant = "demo";

    /// <summary>The tenant of the second bootstrap key <see cref="OtherApiKey"/> (<c>Gateway__ApiKeys__dev1__Tenant</c>).</summary>
    public const string OtherTenant = "other";

    /// <summary>The Profiles replicas (<c>WithReplicas(2)</c>).</summary>
    public const int ProfilesReplicas = 2;

    /// <summary>Every service resource, in the order the AppHost lets them start (<c>WaitFor</c>).</summary>
    public static readonly IReadOnlyList<string> Services = [Profiles, Events, Recommendations, Scheduling, Notifications, Gateway];

    private static readonly Dictionary<string, string> Databases = new()
    {
        [Gateway] = "gatewaydb",
        [Events] = "eventsdb",
        [Profiles] = "profilesdb",
        [Recommendations] = "recommendationsdb",
        [Scheduling] = "schedulingdb",
        [Notifications] = "notificationsdb",
    };

    // WithReference(project) in the AppHost.
    private static readonly Dictionary<string, string[]> References = new()
    {
        [Gateway] = [Events, Profiles, Recommendations, Scheduling, Notifications],
        [Notifications] = [Profiles, Scheduling, Recommendations],
    };

    private readonly Dictionary<(string Resource, int Replica), Endpoints> _endpoints = [];
    private readonly IReadOnlyDictionary<string, string> _connectionStrings;
    private readonly string _kafka;
    private readonly Uri _otlpEndpoint;

    /// <param name="otlpEndpoint">Where the dashboard (here the test's sink) receives OTLP over gRPC.</param>
    /// <param name="kafkaBootstrapServers">The broker resource's address (<c>host:port</c>).</param>
    /// <param name="connectionStrings">Each database's connection string by its name (<c>eventsdb</c>, ...).</param>
    public AppHostEnvironment(Uri otlpEndpoint, string kafkaBootstrapServers, IReadOnlyDictionary<string, string> connectionStrings)
    {
        _otlpEndpoint = otlpEndpoint;
        _kafka = kafkaBootstrapServers;
        _connectionStrings = connectionStrings;
        foreach (var service in Services)
        {
            for (var replica = 0; replica < ReplicasOf(service); replica++)
            {
                AllocateEndpoints(service, replica);
            }
        }
    }

    /// <summary>The database name each service owns (<c>postgres.AddDatabase</c>).</summary>
    public static IReadOnlyDictionary<string, string> DatabaseOf => Databases;

    /// <summary>The secret shared by the gateway and every service (an AppHost parameter, 48 random characters).</summary>
    public string GatewaySecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>The operator key whose hash the gateway gets (<c>Gateway__Operator__Sha256</c>).</summary>
    public string OperatorKey { get; } = $"rp_operator_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";

    /// <summary>The bootstrap API key of <see cref="DevTenant"/> whose hash the gateway gets.</summary>
    public string DevApiKey { get; } = $"rp_dev_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";

    /// <summary>The bootstrap API key of <see cref="OtherTenant"/> whose hash the gateway gets.</summary>
    public string OtherApiKey { get; } = $"rp_other_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";

    /// <summary>Notifications' master key: 32 random bytes in base64.</summary>
    public string NotificationsMasterKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static int ReplicasOf(string resource) => resource == Profiles ? ProfilesReplicas : 1;

    /// <summary>The ports currently assigned to a process (its endpoints, and for a silo its Orleans ports).</summary>
    public Endpoints EndpointsOf(string resource, int replica = 0) => _endpoints[(resource, replica)];

    /// <summary>Assigns a process fresh free ports (before each start attempt: a port may be taken in between).</summary>
    public Endpoints AllocateEndpoints(string resource, int replica = 0)
    {
        var ports = ServiceProcess.FreePorts(4);
        return _endpoints[(resource, replica)] = resource == Profiles
            ? new Endpoints(ports[0], ports[1], ports[2], ports[3])
            : new Endpoints(ports[0], ports[1], null, null);
    }

    /// <summary>
    /// The whole environment of one process of <paramref name="resource"/>, with the endpoints assigned to it and to
    /// the resources it references now, and <paramref name="instanceId"/> as its <c>service.instance.id</c>.
    /// </summary>
    public Dictionary<string, string> For(string resource, int replica, string instanceId)
    {
        var own = EndpointsOf(resource, replica);
        var environment = Common(resource, instanceId);
        environment["Kestrel__Endpoints__http__Url"] = own.HttpUrl.ToString().TrimEnd('/');
        environment["Kestrel__Endpoints__grpc__Url"] = own.GrpcUrl.ToString().TrimEnd('/');
        environment["Platform__GatewaySecret"] = GatewaySecret;
        var database = Databases[resource];
        environment[$"ConnectionStrings__{database}"] = _connectionStrings[database];
        if (resource != Gateway)
        {
            // WithKafka(infrastructure): the bootstrap servers, and against the embedded broker (local servers) a short
            // consumer session, because its group coordinator completes a rebalance only when sessions time out.
            environment["ConnectionStrings__kafka"] = _kafka;
            environment["Kafka__Consumer__session.timeout.ms"] = "6000";
            environment["Kafka__Consumer__heartbeat.interval.ms"] = "500";
        }

        foreach (var referenced in References.GetValueOrDefault(resource, []))
        {
            // The deliberate deviation (see the remarks): one address per Profiles replica instead of the proxy's one.
            for (var index = 0; index < ReplicasOf(referenced); index++)
            {
                var target = EndpointsOf(referenced, index);
                var i = index.ToString(CultureInfo.InvariantCulture);
                environment[$"services__{referenced}__http__{i}"] = target.HttpUrl.ToString().TrimEnd('/');
                environment[$"services__{referenced}__grpc__{i}"] = target.GrpcUrl.ToString().TrimEnd('/');
            }
        }

        switch (resource)
        {
            case Profiles:
                environment["Orleans__ClusterId"] = "retention";
                environment["Orleans__ServiceId"] = "retention-profiles";
                environment["Orleans__EnableDistributedTracing"] = "true";
                environment["Orleans__Clustering__ProviderType"] = "AdoNet";
                environment["Orleans__Clustering__Invariant"] = "Npgsql";
                environment["Orleans__Clustering__ConnectionName"] = "profilesdb";
                environment["Orleans__Reminders__ProviderType"] = "AdoNet";
                environment["Orleans__Reminders__Invariant"] = "Npgsql";
                environment["Orleans__Reminders__ConnectionName"] = "profilesdb";
                environment["Orleans__Endpoints__SiloPort"] = own.SiloPort!.Value.ToString(CultureInfo.InvariantCulture);
                environment["Orleans__Endpoints__GatewayPort"] = own.OrleansGatewayPort!.Value.ToString(CultureInfo.InvariantCulture);
                break;
            case Gateway:
                environment["Gateway__Operator__Sha256"] = Sha256Hex(OperatorKey);
                environment["Gateway__ApiKeys__dev0__Tenant"] = DevTenant;
                environment["Gateway__ApiKeys__dev0__Sha256"] = Sha256Hex(DevApiKey);
                environment["Gateway__ApiKeys__dev1__Tenant"] = OtherTenant;
                environment["Gateway__ApiKeys__dev1__Sha256"] = Sha256Hex(OtherApiKey);
                break;
            case Notifications:
                environment["Notifications__MasterKey"] = NotificationsMasterKey;
                environment["Notifications__PublicBaseUrl"] = EndpointsOf(Gateway).HttpUrl.ToString();
                break;
            default:
                break;
        }

        return environment;
    }

    /// <summary>What every project resource gets: its launch profile's settings and the dashboard's OpenTelemetry settings.</summary>
    private Dictionary<string, string> Common(string resource, string instanceId) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_LAUNCH_PROFILE"] = resource,
        ["OTEL_SERVICE_NAME"] = resource,
        ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _otlpEndpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_TRACES_SAMPLER"] = "always_on",
        ["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
        ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION"] = "true",
        ["LOGGING__CONSOLE__FORMATTERNAME"] = "simple",
    };

    // What the gateway compares a presented key against: hex SHA-256 of its UTF-8 bytes (Gateway's ApiKeyHasher).
    private static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
