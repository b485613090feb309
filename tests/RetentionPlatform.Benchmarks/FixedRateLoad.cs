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
    /// <summary>Sends in flight beyond which the dispatcher waits (latency still counts from the schedule).</summary>
    private const int MaxInFlight = 2048;

    /// <summary>How long a probe is looked for before it counts as never visible.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    public async Task<FixedRateResult> RunAsync(string phase, int rate, TimeSpan duration, IReadOnlyList<string> customers, string probePrefix, CancellationToken cancellationToken)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var probeEvery = Math.Max(1, rate / Math.Max(1, options.ProbesPerSecond));
        var ticksPerSend = (double)Stopwatch.Frequency / rate;
        var ack = new LatencySamples((int)Math.Min(total, 1_000_000));
        var service = new LatencySamples((int)Math.Min(total, 1_000_000));
        var visible = new LatencySamples();
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var counters = new long[4]; // accepted, probes sent, in flight, probe GETs
        long maxLag = 0;
        var sends = new List<Task>((int)Math.Min(total, 1_000_000));

        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        long issued = 0;
        while (issued < total && !cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var due = now < start ? 0 : Math.Min(total, (long)((now - start) / ticksPerSend) + 1);
            for (; issued < due && Interlocked.Read(ref counters[2]) < MaxInFlight; issued++)
            {
                var scheduled = start + (long)(issued * ticksPerSend);
                maxLag = Math.Max(maxLag, now - scheduled);
                var probe = issued % probeEvery == probeEvery / 2;
                var customer = probe ? $"{probePrefix}-{issued}" : customers[(int)(issued % customers.Count)];
                Interlocked.Increment(ref counters[2]);
                sends.Add(SendAsync(phase, issued, customer, scheduled, probe));
            }

            await Task.Delay(1, CancellationToken.None);
        }

        var dispatchEnd = Stopwatch.GetTimestamp();
        var all = Task.WhenAll(sends);
        await Task.WhenAny(all, Task.Delay(LoadClient.RequestTimeout + ProbeTimeout + TimeSpan.FromSeconds(5), CancellationToken.None));

        return new FixedRateResult(
            rate,
            issued,
            Interlocked.Read(ref counters[0]),
            failures,
            ack.Summarize(),
            service.Summarize(),
            visible.Summarize(),
            Interlocked.Read(ref counters[1]),
            Interlocked.Read(ref counters[3]),
            issued / Math.Max(Stopwatch.GetElapsedTime(start, dispatchEnd).TotalSeconds, 1e-9),
            maxLag * 1000.0 / Stopwatch.Frequency);

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
            finally
            {
                Interlocked.Decrement(ref counters[2]);
            }
        }

        async Task WaitVisibleAsync(string customerId, long scheduled)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(ProbeTimeout.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref counters[3]);
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
