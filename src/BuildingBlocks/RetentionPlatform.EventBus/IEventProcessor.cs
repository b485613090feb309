namespace RetentionPlatform.EventBus;

/// <summary>
/// Applies events of one key (one tenant's customer), in partition order. The consumer commits the
/// offsets only after this returns, so the effect must be durable by then; it may be called again with
/// events it has already applied (at-least-once delivery) and must be idempotent by event id.
/// </summary>
public interface IEventProcessor
{
    Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken);
}
