using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>Free slots of a service between two local dates (inclusive), read in <see cref="TimeZone"/> (the business's zone when null).</summary>
public sealed record AvailabilityQuery(string ServiceId, string? ResourceId, LocalDate From, LocalDate To, DateTimeZone? TimeZone);
