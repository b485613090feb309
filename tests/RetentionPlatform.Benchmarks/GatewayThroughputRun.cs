namespace RetentionPlatform.Benchmarks;

/// <summary>One closed-loop run of the gateway benchmark: as many requests as its workers get answered.</summary>
/// <param name="Workload">What was sent.</param>
/// <param name="Path">Direct to the service or through the gateway.</param>
/// <param name="Round">Which round (each round measures both paths, in alternating order).</param>
/// <param name="Succeeded">Requests answered 2xx.</param>
/// <param name="Elapsed">Length of the measured window.</param>
/// <param name="Latency">Latencies of the answered requests.</param>
/// <param name="Failures">Every other outcome, by status code (<c>HTTP 429</c>, ...) or exception type.</param>
/// <param name="Platform">What the platform and the machine did meanwhile.</param>
public sealed record GatewayThroughputRun(
    GatewayWorkload Workload,
    GatewayPath Path,
    int Round,
    long Succeeded,
    TimeSpan Elapsed,
    LatencySummary Latency,
    IReadOnlyDictionary<string, int> Failures,
    PlatformDelta Platform)
{
    public double RequestsPerSecond => Succeeded / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>CPU time of this process (load generator, gateway, services) per answered request.</summary>
    public double ProcessCpuMsPerRequest => (Platform.To.ProcessCpu - Platform.From.ProcessCpu).TotalMilliseconds / Math.Max(1, Succeeded);
}
