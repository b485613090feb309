namespace RetentionPlatform.EventBus;

/// <summary>
/// Kafka settings. Bootstrap servers come from <c>ConnectionStrings:kafka</c> (the Aspire contract);
/// <c>Kafka:Producer</c> and <c>Kafka:Consumer</c> pass librdkafka properties straight through
/// (for example <c>linger.ms</c> or <c>session.timeout.ms</c>).
/// </summary>
public sealed class KafkaOptions
{
    public const string ConnectionStringName = "kafka";

    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// The switch that creates the platform's topics (and the consumer groups' dead-letter topics) at start when they
    /// are missing. It decides what is registered, so it is read from configuration rather than bound here. Off by
    /// default: a broker the platform runs itself (the embedded one) has them already, and production topics are often
    /// someone else's to create. The Aspire AppHost turns it on for its Kafka container.
    /// </summary>
    public const string ProvisionTopicsSetting = "Kafka:ProvisionTopics";

    /// <summary>Replication factor of provisioned topics (<c>Kafka:ReplicationFactor</c>); -1 takes the broker's default.</summary>
    public short ReplicationFactor { get; set; } = -1;

    public Dictionary<string, string> Producer { get; } = [];

    public Dictionary<string, string> Consumer { get; } = [];
}
