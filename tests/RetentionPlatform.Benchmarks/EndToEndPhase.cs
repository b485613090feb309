namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Phase (b), closed loop: post the events through the gateway as fast as the workers can, then poll every
/// customer until the grains show everything; the rate is events over first post to all visible.
/// </summary>
public sealed class EndToEndPhase(BenchmarkOptions options, EventBodies bodies, HttpClient postClient, HttpClient getClient, PlatformObserver observer, string runId)
{
    /// <summary>Concurrent GETs of the visibility sweeps.</summary>
    private const int PollConcurrency = 16;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(10);

    public async Task<EndToEndResult> RunAsync(CancellationToken cancellationToken)
    {
        var load = new ClosedLoopLoad(postClient, bodies, options.Concurrency);
        var poller = new VisibilityPoller(getClient, PollConcurrency);

        // Warm up the whole path (gateway, events, Kafka, consumer, grains, PostgreSQL), then let it drain.
        var warmCustomers = CustomerIds.Create(runId, "e2e-warmup", Math.Min(options.Customers, 200));
        var warm = await load.RunAsync("e2e-warmup", long.MaxValue, warmCustomers, options.PlatformWarmup, cancellationToken);
        await poller.WaitAsync(CustomerIds.WithExpected(warmCustomers, warm), options.VisibilityTimeout, SweepInterval, cancellationToken);

        var customers = CustomerIds.Create(runId, "e2e", options.Customers);
        var before = observer.Snapshot();
        var posting = await load.RunAsync("e2e", options.Events, customers, options.PostingTimeout, cancellationToken);
        var duringPosting = observer.Since(before);
        var visibility = await poller.WaitAsync(CustomerIds.WithExpected(customers, posting), options.VisibilityTimeout, SweepInterval, cancellationToken);
        return new EndToEndResult(posting, visibility, duringPosting, observer.Since(before));
    }
}
