namespace RetentionPlatform.Benchmarks;

/// <summary>
/// What the gateway benchmark measured, added run by run so a run cut short still reports what finished; and the
/// figures the summary compares, per workload and path, over every round.
/// </summary>
public sealed class GatewayResult
{
    /// <summary>The failure key of an answer from the rate limiter.</summary>
    public const string RateLimitedFailure = "HTTP 429";

    private readonly List<GatewayThroughputRun> _throughput = [];
    private readonly List<GatewayLatencyRun> _latency = [];

    /// <summary>Posting one event to each customer the reads ask for (through the gateway).</summary>
    public ClosedLoopResult? Seeding { get; set; }

    /// <summary>Until those customers were readable.</summary>
    public VisibilityResult? SeedingVisibility { get; set; }

    /// <summary>Every planned run finished.</summary>
    public bool Finished { get; set; }

    public IReadOnlyList<GatewayThroughputRun> Throughput => _throughput;

    public IReadOnlyList<GatewayLatencyRun> Latency => _latency;

    public void Add(GatewayThroughputRun run) => _throughput.Add(run);

    public void Add(GatewayLatencyRun run) => _latency.Add(run);

    /// <summary>Answered requests per second over every closed-loop run of the pair (NaN when none ran).</summary>
    public double RequestsPerSecond(GatewayWorkload workload, GatewayPath path)
    {
        var runs = _throughput.Where(r => r.Workload == workload && r.Path == path).ToList();
        return runs.Count == 0 ? double.NaN : runs.Sum(r => r.Succeeded) / Math.Max(runs.Sum(r => r.Elapsed.TotalSeconds), 1e-9);
    }

    /// <summary>A percentile of the open-loop latency (from the scheduled send), averaged over the rounds (NaN when none ran).</summary>
    public double MeanAckMs(GatewayWorkload workload, GatewayPath path, Func<LatencySummary, double> percentile)
    {
        var runs = _latency.Where(r => r.Workload == workload && r.Path == path && r.Result.Ack.Count > 0).ToList();
        return runs.Count == 0 ? double.NaN : runs.Average(r => percentile(r.Result.Ack));
    }

    /// <summary>Requests of the pair's measured runs answered with anything but 2xx, or not answered (and lost probes).</summary>
    public long Errors(GatewayWorkload workload, GatewayPath path) => Failures(workload, path).Sum(f => (long)f.Value);

    /// <summary>Requests of the pair's measured runs refused by the rate limiter.</summary>
    public long RateLimited(GatewayWorkload workload, GatewayPath path) =>
        Failures(workload, path).Where(f => f.Key == RateLimitedFailure).Sum(f => (long)f.Value);

    private IEnumerable<KeyValuePair<string, int>> Failures(GatewayWorkload workload, GatewayPath path) =>
        _throughput.Where(r => r.Workload == workload && r.Path == path).SelectMany(r => r.Failures)
            .Concat(_latency.Where(r => r.Workload == workload && r.Path == path).SelectMany(r => r.Result.Failures));
}
