namespace RetentionPlatform.Scheduling.Model;

/// <summary>Who or what performs a service (a member of staff, a room, a chair), where, and when it works.</summary>
public sealed record Resource(string ResourceId, string LocationId, string Name, string Kind, WeeklyHours Hours);
