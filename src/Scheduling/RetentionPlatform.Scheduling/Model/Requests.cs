using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>Free slots of a service between two local dates (inclusive), read in <see cref="TimeZone"/> (the business's zone when null).</summary>
public sealed record AvailabilityQuery(string ServiceId, string? ResourceId, LocalDate From, LocalDate To, DateTimeZone? TimeZone);

/// <summary>Books a service for a customer at a start time; any free resource when <see cref="ResourceId"/> is null.</summary>
public sealed record BookRequest(string ServiceId, string? ResourceId, string CustomerId, Instant Start, string? CustomerTimeZone, string? Notes, string? ClientKey);

/// <summary>Moves an appointment to a new start (and optionally another resource).</summary>
public sealed record RescheduleRequest(Instant Start, string? ResourceId, Actor By);

/// <summary>Cancels an appointment.</summary>
public sealed record CancelRequest(string? Reason, Actor By);

/// <summary>Joins the waitlist for a service within a window (a whole local day, or a time range).</summary>
public sealed record WaitlistRequest(string CustomerId, string ServiceId, string? ResourceId, LocalDate? Date, Instant? From, Instant? Until);

/// <summary>The free slots found, with the zone their local times are shown in.</summary>
public sealed record AvailabilityResult(ServiceDefinition Service, DateTimeZone TimeZone, IReadOnlyList<Slot> Slots);
