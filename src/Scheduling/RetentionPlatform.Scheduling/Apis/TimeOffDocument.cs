using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A resource's time off as answered.</summary>
public sealed record TimeOffDocument(string TimeOffId, string ResourceId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Reason)
{
    public static TimeOffDocument From(TimeOff t) =>
        new(t.TimeOffId, t.ResourceId, t.Interval.Start.ToDateTimeOffset(), t.Interval.End.ToDateTimeOffset(), t.Reason);
}
