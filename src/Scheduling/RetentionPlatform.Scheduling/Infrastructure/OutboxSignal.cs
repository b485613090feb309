using RetentionPlatform.EventBus;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>Wakes the outbox dispatcher when a transaction committed events due now, so they need not wait for its next poll.</summary>
public sealed class OutboxSignal : WakeSignal;
