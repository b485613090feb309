namespace RetentionPlatform.Benchmarks;

/// <summary>One open-loop run of the gateway benchmark: a fixed rate, latency counted from each scheduled send.</summary>
/// <param name="Workload">What was sent.</param>
/// <param name="Path">Direct to the service or through the gateway.</param>
/// <param name="Round">Which round (each round measures both paths, in alternating order).</param>
/// <param name="Result">What the run measured (the read workload has no probes).</param>
/// <param name="Platform">What the platform and the machine did meanwhile.</param>
public sealed record GatewayLatencyRun(GatewayWorkload Workload, GatewayPath Path, int Round, FixedRateResult Result, PlatformDelta Platform)
{
    /// <summary>CPU time of this process (load generator, gateway, services) per answered request.</summary>
    public double ProcessCpuMsPerRequest => (Platform.To.ProcessCpu - Platform.From.ProcessCpu).TotalMilliseconds / Math.Max(1, Result.Accepted);
}
