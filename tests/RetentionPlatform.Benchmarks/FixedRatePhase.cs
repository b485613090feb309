namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Phase (b), open loop: a fixed rate (by default half the end-to-end rate) for acknowledgement latency,
/// with probe events to fresh customers for post-to-visible latency.
/// </summary>
public sealed class FixedRatePhase(BenchmarkOptions options, EventBodies bodies, HttpClient postClient, HttpClient getClient, PlatformObserver observer, string runId)
{
    public async Task<(FixedRateResult Result, PlatformDelta Platform)> RunAsync(int rate, CancellationToken cancellationToken)
    {
        var load = new FixedRateLoad(postClient, getClient, bodies, options);
        var customers = CustomerIds.Create(runId, "fixed", options.Customers);

        // A short warm-up at the same rate opens the connections an open-loop load needs.
        await load.RunAsync("fixed-warmup", rate, options.Warmup, customers, $"bench-{runId}-probe-warmup", cancellationToken);

        var before = observer.Snapshot();
        var result = await load.RunAsync("fixed", rate, options.FixedRateDuration, customers, $"bench-{runId}-probe", cancellationToken);
        return (result, observer.Since(before));
    }
}
