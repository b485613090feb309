using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>A resource away (holiday, sickness, training): no appointment may touch <see cref="Interval"/>.</summary>
public sealed record TimeOff(string TimeOffId, string ResourceId, Interval Interval, string? Reason);
