namespace RetentionPlatform.Benchmarks;

/// <summary>What a closed-loop run did: requests, their outcomes, their latencies and when it started and ended.</summary>
/// <param name="Sent">Requests sent (answered or not).</param>
/// <param name="Accepted">Requests answered 202.</param>
/// <param name="AcceptedPerCustomer">202s by customer index, to know what each customer must show.</param>
/// <param name="Failures">Every other outcome, by status code or exception type.</param>
/// <param name="Latency">Request latencies (send to response).</param>
/// <param name="StartTimestamp">Stopwatch timestamp just before the first request.</param>
/// <param name="EndTimestamp">Stopwatch timestamp after the last response.</param>
/// <param name="TimedOut">The run hit its time limit before sending everything.</param>
/// <param name="ProcessCpu">CPU time this process used meanwhile (load generator included).</param>
/// <param name="MachineCpu">Busy CPU time of the whole machine meanwhile.</param>
public sealed record ClosedLoopResult(
    long Sent,
    long Accepted,
    int[] AcceptedPerCustomer,
    IReadOnlyDictionary<string, int> Failures,
    LatencySummary Latency,
    long StartTimestamp,
    long EndTimestamp,
    bool TimedOut,
    TimeSpan ProcessCpu,
    TimeSpan MachineCpu)
{
    public TimeSpan Elapsed => System.Diagnostics.Stopwatch.GetElapsedTime(StartTimestamp, EndTimestamp);

    public double RequestsPerSecond => Accepted / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double ProcessCores => ProcessCpu.TotalSeconds / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double MachineCores => MachineCpu.TotalSeconds / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>CPU time of this process per acknowledged request.</summary>
    public double ProcessCpuMsPerRequest => ProcessCpu.TotalMilliseconds / Math.Max(1, Accepted);
}
