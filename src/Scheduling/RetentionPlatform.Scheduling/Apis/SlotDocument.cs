namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A free start: local times with their offset in the answer's zone (each names its instant exactly).</summary>
public sealed record SlotDocument(string StartsAt, string EndsAt, IReadOnlyList<string> ResourceIds);
