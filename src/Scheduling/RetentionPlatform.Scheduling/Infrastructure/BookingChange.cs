using NodaTime;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>
/// What a change makes of a booking: the updated booking with the time it now blocks and its events, an error, or
/// nothing (the booking already is what was asked, so a retried request changes nothing).
/// </summary>
public sealed record BookingChange(Booking? Updated, Interval? Blocked, IReadOnlyList<OutboxEvent> Events, SchedulingError? Error)
{
    public static BookingChange Nothing { get; } = new(null, null, [], null);

    public static implicit operator BookingChange(SchedulingError error) => new(null, null, [], error);
}
