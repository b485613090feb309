using System.Collections.Concurrent;
using System.Net;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// The gateway's cost (<c>--gateway</c>): profile reads and event posts sent straight to the service, with the signed
/// tenant the gateway would add, and through the gateway, with an API key (authentication, rate limiting, the
/// proxy hop over HTTP/2), in the same run. Each round measures, per workload, the closed-loop throughput of both
/// paths at the same concurrency, then their latency at a fixed rate (open loop). The order of the two paths
/// flips from one measurement to the next and from one round to the next, so drift (the Kafka consumer catching
/// up, PostgreSQL checkpoints, other work on the machine) falls on both alike; the Profiles consumer is drained
/// before each measurement.
/// </summary>
public sealed class GatewayPhase
{
    /// <summary>Connections of the clients that look for FixedRateLoad's probe events.</summary>
    private const int ProbeConnections = 64;

    /// <summary>Concurrent GETs while waiting for the seeded customers to become readable.</summary>
    private const int SeedPollConcurrency = 16;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(10);

    private readonly BenchmarkOptions _options;
    private readonly EventBodies _bodies;
    private readonly StandalonePlatform _platform;
    private readonly PlatformObserver _observer;
    private readonly TextWriter _progress;

    /// <summary>The customers every request goes to, round robin: seeded first, so reads find them and posts never create one.</summary>
    private readonly IReadOnlyList<string> _customers;

    private readonly string[] _profilePaths;

    /// <summary>The same connection limit on both paths, high enough that an open-loop stall never waits for one.</summary>
    private readonly int _connections;

    private readonly string _probePrefix;

    public GatewayPhase(BenchmarkOptions options, EventBodies bodies, StandalonePlatform platform, PlatformObserver observer, string runId, TextWriter progress)
    {
        _options = options;
        _bodies = bodies;
        _platform = platform;
        _observer = observer;
        _progress = progress;
        _customers = CustomerIds.Create(runId, "gw", options.Customers);
        _profilePaths = [.. _customers.Select(c => $"/v1/customers/{Uri.EscapeDataString(c)}")];
        _connections = Math.Max(options.Concurrency, 256);
        _probePrefix = $"bench-{runId}";
    }

    public async Task RunAsync(GatewayResult result, CancellationToken cancellationToken)
    {
        await SeedAsync(result, cancellationToken);
        await WarmUpAsync(cancellationToken);

        for (var round = 1; round <= _options.Rounds; round++)
        {
            var directFirst = round % 2 == 1;
            foreach (var workload in Enum.GetValues<GatewayWorkload>())
            {
                foreach (var path in Order(directFirst))
                {
                    result.Add(await MeasureThroughputAsync(workload, path, round, cancellationToken));
                }

                foreach (var path in Order(!directFirst))
                {
                    result.Add(await MeasureLatencyAsync(workload, path, round, cancellationToken));
                }
            }
        }

        result.Finished = true;
    }

    private static GatewayPath[] Order(bool directFirst) =>
        directFirst ? [GatewayPath.Direct, GatewayPath.Gateway] : [GatewayPath.Gateway, GatewayPath.Direct];

    /// <summary>One event to each customer through the gateway, then waits until every one is readable.</summary>
    private async Task SeedAsync(GatewayResult result, CancellationToken cancellationToken)
    {
        using var post = CreateClient(GatewayPath.Gateway, GatewayWorkload.EventPost, _connections);
        using var get = CreateClient(GatewayPath.Gateway, GatewayWorkload.ProfileRead, SeedPollConcurrency);
        result.Seeding = await new ClosedLoopLoad(post, _bodies, _options.Concurrency).RunAsync("gw-seed", _customers.Count, _customers, _options.PostingTimeout, cancellationToken);
        result.SeedingVisibility = await new VisibilityPoller(get, SeedPollConcurrency)
            .WaitAsync(CustomerIds.WithExpected(_customers, result.Seeding), _options.VisibilityTimeout, SweepInterval, cancellationToken);
        _progress.WriteLine(Invariant($"  seeded {result.SeedingVisibility.VisibleEvents:N0} of {_customers.Count:N0} customers{(result.SeedingVisibility.AllVisible ? "" : " (NOT all readable: reads of the others will fail)")}"));
    }

    /// <summary>
    /// Tiered JIT and connection pools: every workload on every path, closed loop, before anything is measured (the
    /// per-measurement warm-up is too short for the JIT to settle in five services).
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var each = _options.PlatformWarmup / 4;
        foreach (var workload in Enum.GetValues<GatewayWorkload>())
        {
            foreach (var path in Order(directFirst: true))
            {
                using var client = CreateClient(path, workload, _connections);
                await ClosedLoopAsync(workload, client, Phase("warm", workload, path, 0), each, cancellationToken);
            }
        }
    }

    private async Task<GatewayThroughputRun> MeasureThroughputAsync(GatewayWorkload workload, GatewayPath path, int round, CancellationToken cancellationToken)
    {
        await _observer.WaitDrainedAsync(_options.VisibilityTimeout, cancellationToken);
        using var client = CreateClient(path, workload, _connections);
        await ClosedLoopAsync(workload, client, Phase("closed-warmup", workload, path, round), _options.Warmup, cancellationToken);

        var before = _observer.Snapshot();
        var (succeeded, elapsed, latency, failures) = await ClosedLoopAsync(workload, client, Phase("closed", workload, path, round), _options.FixedRateDuration, cancellationToken);

        // A run stopped by the time limit returns what it had; it is not a measurement.
        cancellationToken.ThrowIfCancellationRequested();
        var run = new GatewayThroughputRun(workload, path, round, succeeded, elapsed, latency, failures, _observer.Since(before));
        _progress.WriteLine(Invariant($"  round {round}  {GatewayReport.Describe(workload),-22} {GatewayReport.Describe(path),-7}  closed loop x{_options.Concurrency}: {run.RequestsPerSecond,7:N0} req/s  errors {failures.Values.Sum()}"));
        return run;
    }

    private async Task<GatewayLatencyRun> MeasureLatencyAsync(GatewayWorkload workload, GatewayPath path, int round, CancellationToken cancellationToken)
    {
        await _observer.WaitDrainedAsync(_options.VisibilityTimeout, cancellationToken);
        using var client = CreateClient(path, workload, _connections);

        // A short warm-up at the same rate opens the connections an open-loop load needs.
        await FixedRateAsync(workload, path, client, Phase("fixed-warmup", workload, path, round), _options.Warmup, cancellationToken);

        var before = _observer.Snapshot();
        var result = await FixedRateAsync(workload, path, client, Phase("fixed", workload, path, round), _options.FixedRateDuration, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var run = new GatewayLatencyRun(workload, path, round, result, _observer.Since(before));
        _progress.WriteLine(Invariant($"  round {round}  {GatewayReport.Describe(workload),-22} {GatewayReport.Describe(path),-7}  {result.Rate:N0}/s: p50 {result.Ack.P50Ms:0.00} ms  p99 {result.Ack.P99Ms:0.00} ms  errors {result.Failures.Values.Sum()}{(result.AchievedRate < result.Rate * GatewayReport.BehindSchedule ? Invariant($"  (issued at only {result.AchievedRate:N0}/s)") : "")}"));
        return run;
    }

    /// <summary>As many requests as <see cref="BenchmarkOptions.Concurrency"/> workers get answered in <paramref name="duration"/>.</summary>
    private async Task<(long Succeeded, TimeSpan Elapsed, LatencySummary Latency, IReadOnlyDictionary<string, int> Failures)> ClosedLoopAsync(
        GatewayWorkload workload, HttpClient client, string phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (workload == GatewayWorkload.EventPost)
        {
            var posted = await new ClosedLoopLoad(client, _bodies, _options.Concurrency).RunAsync(phase, long.MaxValue, _customers, duration, cancellationToken);
            return (posted.Accepted, posted.Elapsed, posted.Latency, posted.Failures);
        }

        // ClosedLoopLoad only posts events: reads go through TimedLoop, which counts errors but not why.
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var read = await TimedLoop.RunAsync(phase, _options.Concurrency, TimeSpan.Zero, duration, async (i, ct) =>
        {
            HttpStatusCode status;
            try
            {
                status = await ReadProfileAsync(client, i, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failures.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                throw;
            }

            if (status != HttpStatusCode.OK)
            {
                ct.ThrowIfCancellationRequested();
                failures.AddOrUpdate(Invariant($"HTTP {(int)status}"), 1, (_, n) => n + 1);
                throw new HttpRequestException(Invariant($"HTTP {(int)status}"), null, status);
            }
        }, static () => TimeSpan.Zero, cancellationToken);

        var unexplained = read.Errors - failures.Values.Sum();
        if (unexplained > 0)
        {
            failures["other"] = (int)unexplained;
        }

        return (read.Operations, read.Elapsed, read.Latency, failures);
    }

    private async Task<FixedRateResult> FixedRateAsync(GatewayWorkload workload, GatewayPath path, HttpClient client, string phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (workload == GatewayWorkload.EventPost)
        {
            // FixedRateLoad sends a probe event to a fresh customer now and then and polls it on the same path.
            using var probes = CreateClient(path, GatewayWorkload.ProfileRead, ProbeConnections);
            return await new FixedRateLoad(client, probes, _bodies, _options)
                .RunAsync(phase, _options.Rate, duration, _customers, $"{_probePrefix}-{phase}-probe", cancellationToken);
        }

        return await FixedRateRequests.RunAsync(_options.Rate, duration, (i, ct) => ReadProfileAsync(client, i, ct), cancellationToken);
    }

    private async Task<HttpStatusCode> ReadProfileAsync(HttpClient client, long sequence, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(_profilePaths[(int)(sequence % _profilePaths.Length)], cancellationToken);
        return response.StatusCode;
    }

    /// <summary>A fresh client per measurement on either path alike (the direct one carries a signature made now).</summary>
    private HttpClient CreateClient(GatewayPath path, GatewayWorkload workload, int connections) => path switch
    {
        GatewayPath.Direct => DirectServiceClient.Create(_platform, workload == GatewayWorkload.ProfileRead ? "profiles" : "events", connections),
        _ => LoadClient.Create(LoadClient.OnIPv4Loopback(_platform.GatewayHttpUrl), connections, StandaloneOptions.DemoApiKey),
    };

    /// <summary>Unique per run, so every event id is (the ids are run, phase and sequence number).</summary>
    private static string Phase(string kind, GatewayWorkload workload, GatewayPath path, int round) =>
        Invariant($"gw-{kind}-{(workload == GatewayWorkload.ProfileRead ? "read" : "post")}-{(path == GatewayPath.Direct ? "direct" : "gateway")}-r{round}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
