using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>A place where the business serves customers, with its time zone and the local dates it is closed.</summary>
public sealed record Location(string LocationId, string Name, DateTimeZone Zone, IReadOnlySet<LocalDate> Holidays);
