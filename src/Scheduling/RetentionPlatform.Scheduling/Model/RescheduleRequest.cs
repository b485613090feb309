using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>Moves an appointment to a new start (and optionally another resource).</summary>
public sealed record RescheduleRequest(Instant Start, string? ResourceId, Actor By);
