using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>A customer waiting for a service within a window; offered the first slot a cancellation frees in it.</summary>
public sealed record WaitlistEntry(
    string EntryId,
    string CustomerId,
    string ServiceId,
    string? ResourceId,
    Interval Window,
    string Status,
    Instant? OfferedStart,
    string? OfferedResourceId,
    Instant CreatedAt);
