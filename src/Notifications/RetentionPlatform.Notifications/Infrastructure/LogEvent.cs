namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>One delivery-log event to write (and publish).</summary>
/// <param name="EventType">The event type, for example message_sent.</param>
/// <param name="EventId">Its id: repeats of one fact (a retried transaction, a second click on unsubscribe) share it and are written once.</param>
/// <param name="Properties">The event's properties (serialised as the payload's <c>properties</c>).</param>
/// <param name="OccurredAt">When it happened.</param>
public sealed record LogEvent(string EventType, string EventId, IReadOnlyDictionary<string, object?> Properties, DateTimeOffset OccurredAt);
