using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A waitlist entry as answered.</summary>
public sealed record WaitlistDocument(
    string EntryId, string CustomerId, string ServiceId, string? ResourceId, DateTimeOffset WindowFrom, DateTimeOffset WindowUntil, string Status,
    DateTimeOffset? OfferedStartsAt, string? OfferedResourceId)
{
    public static WaitlistDocument From(WaitlistEntry e) => new(
        e.EntryId, e.CustomerId, e.ServiceId, e.ResourceId, e.Window.Start.ToDateTimeOffset(), e.Window.End.ToDateTimeOffset(), e.Status,
        e.OfferedStart?.ToDateTimeOffset(), e.OfferedResourceId);
}
