using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>One appointment: who, what, with which resource, when (as instants), and where it stands.</summary>
public sealed record Booking(
    string BookingId,
    string ServiceId,
    string ResourceId,
    string LocationId,
    string CustomerId,
    Instant Start,
    Instant End,
    BookingStatus Status,
    string? ClientKey,
    string? CustomerTimeZone,
    string? Notes,
    string? CancelReason,
    Instant CreatedAt,
    Instant UpdatedAt);
