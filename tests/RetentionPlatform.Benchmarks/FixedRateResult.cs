namespace RetentionPlatform.Benchmarks;

/// <summary>What an open-loop (fixed-rate) run measured.</summary>
/// <param name="Rate">Target rate, events per second.</param>
/// <param name="Scheduled">Sends scheduled (rate times duration, fewer if the run was cut short).</param>
/// <param name="Accepted">Sends answered 202.</param>
/// <param name="Failures">Every other outcome, by status code or exception type.</param>
/// <param name="Ack">Acknowledgement latency from the scheduled send time (no coordinated omission).</param>
/// <param name="Service">Latency from the actual send (what a closed-loop client would report).</param>
/// <param name="Visible">Post-to-visible latency of the probe events, from the scheduled send time.</param>
/// <param name="ProbesSent">Probe events acknowledged.</param>
/// <param name="ProbeGets">GETs made looking for probes.</param>
/// <param name="AchievedRate">Sends issued per second of the dispatching window.</param>
/// <param name="MaxDispatchLagMs">Largest delay between a scheduled time and the actual send.</param>
public sealed record FixedRateResult(
    int Rate,
    long Scheduled,
    long Accepted,
    IReadOnlyDictionary<string, int> Failures,
    LatencySummary Ack,
    LatencySummary Service,
    LatencySummary Visible,
    long ProbesSent,
    long ProbeGets,
    double AchievedRate,
    double MaxDispatchLagMs);
