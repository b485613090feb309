namespace RetentionPlatform.EventBus;

/// <summary>Kafka header names every platform message carries (values are UTF-8 text).</summary>
public static class EventHeaders
{
    public const string EventId = "event-id";
    public const string EventType = "event-type";
    public const string Tenant = "tenant-id";
    public const string Customer = "customer-id";
    public const string OccurredAt = "occurred-at";
    public const string SchemaVersion = "schema-version";
    public const string ContentType = "content-type";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    public const string DeadLetterError = "dead-letter-error";
    public const string DeadLetterErrorType = "dead-letter-error-type";
    public const string DeadLetterSourceTopic = "dead-letter-source-topic";
    public const string DeadLetterSourcePartition = "dead-letter-source-partition";
    public const string DeadLetterSourceOffset = "dead-letter-source-offset";
    public const string DeadLetterConsumerGroup = "dead-letter-consumer-group";
    public const string DeadLetterAttempts = "dead-letter-attempts";
}
