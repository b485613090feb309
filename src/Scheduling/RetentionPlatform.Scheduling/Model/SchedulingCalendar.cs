using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>
/// The dates and times the Scheduling service accepts: years 1900 to 2999. Wide for any appointment or time off, and
/// far enough from the calendar's ends that a day's start in any zone, or the day after, can always be computed.
/// </summary>
public static class SchedulingCalendar
{
    public static readonly LocalDate FirstDate = new(1900, 1, 1);

    public static readonly LocalDate LastDate = new(2999, 12, 31);

    public const string Range = "years 1900 to 2999";

    public static bool Contains(LocalDate date) => date >= FirstDate && date <= LastDate;

    public static bool Contains(Instant instant) => Contains(instant.InUtc().Date);

    /// <summary>Whether a parsed time is in range, checked before it is converted (a far date with an offset would overflow).</summary>
    public static bool Contains(OffsetDateTime time) => time.Year is >= 1901 and <= 2998 || (Contains(time.Date) && Contains(time.ToInstant()));
}
