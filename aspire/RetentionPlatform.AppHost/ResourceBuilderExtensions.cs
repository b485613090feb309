using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace RetentionPlatform.AppHost;

/// <summary>Small additions to Aspire's resource builders used by the resource graph.</summary>
internal static class ResourceBuilderExtensions
{
    /// <summary>
    /// Gives the service its database's connection string (<c>ConnectionStrings__&lt;name&gt;</c>) and, when the AppHost
    /// runs the PostgreSQL server, starts the service only once that database is healthy. A server that already runs
    /// (local servers) is only a connection string from configuration: there is nothing to wait for.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabase(this IResourceBuilder<ProjectResource> builder, PlatformDatabase database)
    {
        builder.WithReference(database.Resource);
        return database.RunByTheAppHost ? builder.WaitFor(database.Resource) : builder;
    }

    /// <summary>
    /// Gives the service Kafka's bootstrap servers (<c>ConnectionStrings__kafka</c>) and starts it once the broker
    /// answers.
    /// <list type="bullet">
    /// <item>The Kafka container starts empty: each service creates the platform's topics that are missing before its
    /// consumers start (<c>Kafka__ProvisionTopics</c>).</item>
    /// <item>The embedded broker has them from the start; its consumers get a 6 s session with heartbeats every 0.5 s:
    /// its group coordinator completes a rebalance only when the members' session times out (librdkafka's default 45 s),
    /// even after every member has rejoined, so each replica that joins (two Profiles silos) would stall its groups that long.</item>
    /// </list>
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKafka(this IResourceBuilder<ProjectResource> builder, PlatformInfrastructure infrastructure)
    {
        builder.WithReference(infrastructure.Kafka).WaitFor(infrastructure.Kafka);
        return infrastructure.KafkaIsEmbeddedBroker
            ? builder.WithEnvironment("Kafka__Consumer__session.timeout.ms", "6000")
                     .WithEnvironment("Kafka__Consumer__heartbeat.interval.ms", "500")
            : builder.WithEnvironment("Kafka__ProvisionTopics", "true");
    }
}
