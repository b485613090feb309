using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>Books a service for a customer at a start time; any free resource when <see cref="ResourceId"/> is null.</summary>
public sealed record BookRequest(string ServiceId, string? ResourceId, string CustomerId, Instant Start, string? CustomerTimeZone, string? Notes, string? ClientKey);
