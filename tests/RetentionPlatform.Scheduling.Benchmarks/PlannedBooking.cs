using NodaTime;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>An appointment of the benchmark's service on one resource at one start time.</summary>
internal sealed record PlannedBooking(string ResourceId, Instant Start);
