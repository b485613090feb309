namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>The durable path's figures: events handed to the processor, interactions it applied, per-call latency.</summary>
internal sealed record DurablePathResult(int Events, long Interactions, int Calls, TimeSpan Elapsed, int Concurrency, Latencies CallLatency, GcSnapshot Gc, int Retries, int GaveUp, IReadOnlyDictionary<string, int> FailureCauses, TimeSpan ProcessCpu, TimeSpan PostgresCpu)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    public double InteractionsPerSecond => Interactions / Elapsed.TotalSeconds;

    /// <summary>CPU per event: this process (processor, store client, model) and the PostgreSQL server.</summary>
    public string CpuSummary => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"CPU per event: {ProcessCpu.TotalMicroseconds / Events:N0} us in this process, {PostgresCpu.TotalMicroseconds / Events:N0} us in PostgreSQL ({ProcessCpu.TotalSeconds:0.0} s + {PostgresCpu.TotalSeconds:0.0} s CPU in {Elapsed.TotalSeconds:0.0} s)");

    public string FailureSummary => FailureCauses.Count == 0
        ? "no call failed"
        : $"{Retries} attempts failed and were retried, {GaveUp} calls gave up after {DurablePathPhase.MaxAttempts} attempts: "
            + string.Join("; ", FailureCauses.Select(c => $"{c.Value} x {c.Key}"));
}
