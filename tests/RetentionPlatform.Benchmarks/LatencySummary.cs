namespace RetentionPlatform.Benchmarks;

/// <summary>Percentiles of a set of latencies, in milliseconds (NaN when nothing was recorded).</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P99Ms, double MaxMs);
