namespace RetentionPlatform.EventBus;

/// <summary>Publishes platform events to Kafka.</summary>
public interface IEventPublisher
{
    /// <summary>
    /// Publishes one event and completes once the broker has acknowledged it on all in-sync replicas
    /// (acks=all), so a caller may acknowledge its own client afterwards.
    /// </summary>
    Task PublishAsync(string topic, EventEnvelope envelope, CancellationToken cancellationToken = default);
}
