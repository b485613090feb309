using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>The free slots found, with the zone their local times are shown in.</summary>
public sealed record AvailabilityResult(ServiceDefinition Service, DateTimeZone TimeZone, IReadOnlyList<Slot> Slots);
