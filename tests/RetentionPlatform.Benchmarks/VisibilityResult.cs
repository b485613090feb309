namespace RetentionPlatform.Benchmarks;

/// <summary>How far the posted events became visible through <c>GET /v1/customers/{id}</c>.</summary>
/// <param name="AllVisible">Every customer showed at least what was sent to it.</param>
/// <param name="VisibleEvents">Events seen (capped per customer at what was sent) by the last look.</param>
/// <param name="ExpectedEvents">Events sent (acknowledged) in all.</param>
/// <param name="LastVisibleTimestamp">Stopwatch timestamp of the response that completed the last customer.</param>
/// <param name="FinishedTimestamp">Stopwatch timestamp when polling stopped (all visible, or timed out).</param>
/// <param name="Gets">GET requests made.</param>
public sealed record VisibilityResult(bool AllVisible, long VisibleEvents, long ExpectedEvents, long LastVisibleTimestamp, long FinishedTimestamp, long Gets);
