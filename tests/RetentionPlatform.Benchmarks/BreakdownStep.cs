namespace RetentionPlatform.Benchmarks;

/// <summary>One piece of the ingestion path timed on its own, closed loop.</summary>
public sealed record BreakdownStep(string Name, long Operations, long Errors, TimeSpan Elapsed, LatencySummary Latency, TimeSpan ProcessCpu, TimeSpan PostgresCpu)
{
    public double OperationsPerSecond => Operations / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>CPU time of this process per operation (includes the caller's own share).</summary>
    public double ProcessCpuMsPerOperation => ProcessCpu.TotalMilliseconds / Math.Max(1, Operations);

    /// <summary>CPU time of the platform's PostgreSQL server per operation.</summary>
    public double PostgresCpuMsPerOperation => PostgresCpu.TotalMilliseconds / Math.Max(1, Operations);
}
