using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>
/// Something a customer can book: how long it takes, the time blocked before and after it (set-up, cleaning), which
/// resources can perform it, its price and its booking rules.
/// </summary>
public sealed record ServiceDefinition(
    string ServiceId,
    string Name,
    Duration Duration,
    Duration BufferBefore,
    Duration BufferAfter,
    IReadOnlyList<string> ResourceIds,
    decimal? Price,
    string? Currency,
    BookingPolicy Policy)
{
    /// <summary>The time an appointment starting at <paramref name="start"/> keeps its resource from other appointments.</summary>
    public Interval Blocked(Instant start) => new(start - BufferBefore, start + Duration + BufferAfter);
}
