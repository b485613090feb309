using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>A free start time for a service and the resources free to perform it then.</summary>
public sealed record Slot(Instant Start, Instant End, IReadOnlyList<string> ResourceIds);
