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

    public Dictionary<string, string> Producer { get; } = [];

    public Dictionary<string, string> Consumer { get; } = [];
}
