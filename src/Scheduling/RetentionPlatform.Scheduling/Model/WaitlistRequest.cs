using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>Joins the waitlist for a service within a window (a whole local day, or a time range).</summary>
public sealed record WaitlistRequest(string CustomerId, string ServiceId, string? ResourceId, LocalDate? Date, Instant? From, Instant? Until);
