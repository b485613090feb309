using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>
/// An appointment event waiting in the outbox: published once <see cref="DueAt"/> has come, or dropped when
/// <see cref="ExpiresAt"/> passed first (a reminder for an appointment that already started).
/// </summary>
public sealed record OutboxEvent(
    string CustomerId,
    string? BookingId,
    string EventId,
    string EventType,
    Instant OccurredAt,
    Instant DueAt,
    Instant? ExpiresAt,
    string PayloadJson);
