using System.Globalization;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RetentionPlatform.AppHost;

/// <summary>
/// PostgreSQL and Kafka for the platform, chosen by one switch, <c>LocalServers</c>:
/// <list type="bullet">
/// <item><c>false</c> (default): containers. <c>AddPostgres</c> with a data volume and one database per service;
/// <c>AddKafka</c> with Kafka UI.</item>
/// <item><c>true</c>: no containers, for machines without Docker. Each service's database is an existing server's
/// connection string from the AppHost's configuration (<c>ConnectionStrings:&lt;name&gt;</c>), and Kafka is the
/// platform's embedded broker (<c>src/Tools/RetentionPlatform.KafkaBroker</c>, the real Kafka wire protocol with the
/// platform's topics) run as a project on <c>LocalKafkaPort</c>.</item>
/// </list>
/// Either way the services are given the same names (<c>ConnectionStrings__kafka</c>, <c>ConnectionStrings__profilesdb</c>, ...).
/// </summary>
internal sealed class PlatformInfrastructure
{
    private const string KafkaName = "kafka";
    private readonly IDistributedApplicationBuilder _builder;
    private readonly IResourceBuilder<PostgresServerResource>? _postgres;

    private PlatformInfrastructure(
        IDistributedApplicationBuilder builder, IResourceBuilder<PostgresServerResource>? postgres, IResourceBuilder<IResourceWithConnectionString> kafka, bool kafkaIsEmbeddedBroker)
    {
        _builder = builder;
        _postgres = postgres;
        Kafka = kafka;
        KafkaIsEmbeddedBroker = kafkaIsEmbeddedBroker;
    }

    /// <summary>Kafka's bootstrap servers as <c>ConnectionStrings__kafka</c>; waiting for it waits until the broker answers.</summary>
    public IResourceBuilder<IResourceWithConnectionString> Kafka { get; }

    /// <summary>Kafka is the embedded broker (librdkafka's mock cluster) rather than a real Kafka.</summary>
    public bool KafkaIsEmbeddedBroker { get; }

    public static PlatformInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>("LocalServers"))
        {
            var postgres = builder.AddPostgres("postgres").WithDataVolume();
            var kafka = builder.AddKafka(KafkaName).WithKafkaUI().WithDataVolume();
            return new PlatformInfrastructure(builder, postgres, kafka, kafkaIsEmbeddedBroker: false);
        }

        var port = builder.Configuration.GetValue("LocalKafkaPort", 9092);
        var broker = builder.AddProject<Projects.RetentionPlatform_KafkaBroker>("kafka-broker", launchProfileName: null)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: KafkaName, env: "KAFKA_BROKER_PORT", isProxied: false);

        // The broker is not HTTP: it is healthy once its port accepts connections.
        var healthCheck = "kafka-broker-listening";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (SocketException error)
            {
                return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"Nothing listens on 127.0.0.1:{port} yet."), error);
            }
        });

        var bootstrapServers = builder.AddConnectionString(
                KafkaName,
                ReferenceExpression.Create($"127.0.0.1:{broker.GetEndpoint(KafkaName).Property(EndpointProperty.Port)}"))
            .WithHealthCheck(healthCheck);
        return new PlatformInfrastructure(builder, postgres: null, bootstrapServers, kafkaIsEmbeddedBroker: true);
    }

    /// <summary>
    /// A service's own database: a database of the PostgreSQL container, or (local servers) the connection string of
    /// that name from the AppHost's configuration.
    /// </summary>
    public PlatformDatabase AddDatabase(string name) =>
        _postgres is not null
            ? new PlatformDatabase(_postgres.AddDatabase(name), RunByTheAppHost: true)
            : new PlatformDatabase(_builder.AddConnectionString(name), RunByTheAppHost: false);
}

/// <summary>A service's database and whether the AppHost runs its server (and so can wait until it is healthy).</summary>
internal sealed record PlatformDatabase(IResourceBuilder<IResourceWithConnectionString> Resource, bool RunByTheAppHost);
