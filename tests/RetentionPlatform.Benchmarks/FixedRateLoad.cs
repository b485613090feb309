using System.Collections.Concurrent;
using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Open-loop load: send <c>i</c> is due at <c>start + i / rate</c> whatever happened to earlier sends, and its
/// latency is measured from that scheduled time, so a stall shows up in the percentiles instead of quietly
/// slowing the generator down (coordinated omission). Every <c>rate / probesPerSecond</c>-th send is a probe to
/// a fresh customer, polled with GETs until it is visible: every 5 ms at first, then every 5% of the time
/// elapsed, so the error stays within 5% while the GETs do not swamp the platform they measure.
/// </summary>
public sealed class FixedRateLoad(HttpClient postClient, HttpClient getClient, EventBodies bodies, BenchmarkOptions options)
{
    /// <summary>How long a probe is looked for before it counts as never visible.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    public async Task<FixedRateResult> RunAsync(string phase, int rate, TimeSpan duration, IReadOnlyList<string> customers, string probePrefix, CancellationToken cancellationToken)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var probeEvery = Math.Max(1, rate / Math.Max(1, options.ProbesPerSecond));
        var ack = new LatencySamples((int)Math.Min(total, 1_000_000));
        var service = new LatencySamples((int)Math.Min(total, 1_000_000));
        var visible = new LatencySamples();
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var counters = new long[3]; // accepted, probes sent, probe GETs

        var dispatch = await OpenLoopSchedule.RunAsync(
            total,
            rate,
            (issued, scheduled) =>
            {
                var probe = issued % probeEvery == probeEvery / 2;
                var customer = probe ? $"{probePrefix}-{issued}" : customers[(int)(issued % customers.Count)];
                return SendAsync(phase, issued, customer, scheduled, probe);
            },
            cancellationToken);
        await Task.WhenAny(dispatch.AllSends, Task.Delay(LoadClient.RequestTimeout + ProbeTimeout + TimeSpan.FromSeconds(5), CancellationToken.None));

        return new FixedRateResult(
            rate,
            dispatch.Issued,
            Interlocked.Read(ref counters[0]),
            failures,
            ack.Summarize(),
            service.Summarize(),
            visible.Summarize(),
            Interlocked.Read(ref counters[1]),
            Interlocked.Read(ref counters[2]),
            dispatch.IssuedPerSecond,
            dispatch.MaxLagMs);

        async Task SendAsync(string phaseName, long sequence, string customerId, long scheduled, bool probe)
        {
            await Task.Yield();
            try
            {
                var sent = Stopwatch.GetTimestamp();
                using (var content = bodies.Create(phaseName, sequence, customerId))
                using (var response = await postClient.PostAsync(ClosedLoopLoad.EventsPath, content, cancellationToken))
                {
                    var answered = Stopwatch.GetTimestamp();
                    ack.Record(answered - scheduled);
                    service.Record(answered - sent);
                    if ((int)response.StatusCode != StatusCodes.Status202Accepted)
                    {
                        failures.AddOrUpdate($"HTTP {(int)response.StatusCode}", 1, (_, n) => n + 1);
                        return;
                    }
                }

                Interlocked.Increment(ref counters[0]);
                if (probe)
                {
                    Interlocked.Increment(ref counters[1]);
                    await WaitVisibleAsync(customerId, scheduled);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failures.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
            }
        }

        async Task WaitVisibleAsync(string customerId, long scheduled)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(ProbeTimeout.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref counters[2]);
                if (await VisibilityPoller.TryGetEventCountAsync(getClient, customerId, cancellationToken) >= 1)
                {
                    visible.Record(Stopwatch.GetTimestamp() - scheduled);
                    return;
                }

                var elapsed = Stopwatch.GetElapsedTime(scheduled);
                await Task.Delay(TimeSpan.FromTicks(Math.Max(options.ProbePollInterval.Ticks, elapsed.Ticks / 20)), cancellationToken);
            }

            failures.AddOrUpdate("probe never visible", 1, (_, n) => n + 1);
        }
    }
}
