using System.Globalization;
using Grpc.Core;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>One open-loop run: latencies from the scheduled moments, the rate calls were started at, how late they started, and the failures by status.</summary>
internal sealed record OpenLoopResult(Latencies Latency, double StartedPerSecond, double P99StartLagMs, double MaxStartLagMs, IReadOnlyDictionary<StatusCode, int> Failures, double CpuMicrosecondsPerCall, int MaxPoolThreads, long MaxQueuedWorkItems, long LockContentions, double[] P99BySecond, double[] GcPauseMsBySecond)
{
    public string Errors => Failures.Count == 0 ? "no errors" : string.Join(", ", Failures.Select(f => $"{f.Value} {f.Key}"));

    /// <summary>The p99 of the calls scheduled in each second of the run, in order (NaN: none answered).</summary>
    public string P99Series => string.Join(" ", P99BySecond.Select(p => double.IsNaN(p) ? "-" : p.ToString("0.0", CultureInfo.InvariantCulture)));

    /// <summary>The garbage collector's pauses in each second of the run (ms), in order.</summary>
    public string GcPauseSeries => string.Join(" ", GcPauseMsBySecond.Select(p => p.ToString("0", CultureInfo.InvariantCulture)));

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Latency}; started at {StartedPerSecond:N0}/s, start lag p99 {P99StartLagMs:0.00} ms / max {MaxStartLagMs:0.0} ms; {Errors}; CPU {CpuMicrosecondsPerCall:N0} us per call (client and service); thread pool up to {MaxPoolThreads} threads and {MaxQueuedWorkItems:N0} queued items, {LockContentions:N0} contended lock acquisitions");
}
