using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Open-loop load of any request, on <see cref="FixedRateLoad"/>'s schedule: request <c>i</c> is due at
/// <c>start + i / rate</c> and its latency counts from that time, so stalls show in the percentiles (no coordinated
/// omission). <see cref="FixedRateLoad"/> only posts events (with probes); this sends whatever it is given, such as reads.
/// </summary>
public static class FixedRateRequests
{
    /// <summary>Requests in flight beyond which the dispatcher waits (latency still counts from the schedule).</summary>
    private const int MaxInFlight = 2048;

    /// <summary>
    /// Sends <paramref name="send"/> (given a sequence number; it returns the answer's status) at
    /// <paramref name="rate"/> per second for <paramref name="duration"/>; any status outside 2xx is a failure.
    /// </summary>
    public static async Task<FixedRateResult> RunAsync(int rate, TimeSpan duration, Func<long, CancellationToken, Task<HttpStatusCode>> send, CancellationToken cancellationToken)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var ticksPerSend = (double)Stopwatch.Frequency / rate;
        var ack = new LatencySamples((int)Math.Min(total, 1_000_000));
        var service = new LatencySamples((int)Math.Min(total, 1_000_000));
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var counters = new long[2]; // succeeded, in flight
        long maxLag = 0;
        var sends = new List<Task>((int)Math.Min(total, 1_000_000));

        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        long issued = 0;
        while (issued < total && !cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var due = now < start ? 0 : Math.Min(total, (long)((now - start) / ticksPerSend) + 1);
            for (; issued < due && Interlocked.Read(ref counters[1]) < MaxInFlight; issued++)
            {
                var scheduled = start + (long)(issued * ticksPerSend);
                maxLag = Math.Max(maxLag, now - scheduled);
                Interlocked.Increment(ref counters[1]);
                sends.Add(SendAsync(issued, scheduled));
            }

            await Task.Delay(1, CancellationToken.None);
        }

        var dispatchEnd = Stopwatch.GetTimestamp();
        await Task.WhenAny(Task.WhenAll(sends), Task.Delay(LoadClient.RequestTimeout + TimeSpan.FromSeconds(5), CancellationToken.None));

        return new FixedRateResult(
            rate,
            issued,
            Interlocked.Read(ref counters[0]),
            failures,
            ack.Summarize(),
            service.Summarize(),
            new LatencySamples(0).Summarize(),
            0,
            0,
            issued / Math.Max(Stopwatch.GetElapsedTime(start, dispatchEnd).TotalSeconds, 1e-9),
            maxLag * 1000.0 / Stopwatch.Frequency);

        async Task SendAsync(long sequence, long scheduled)
        {
            await Task.Yield();
            try
            {
                var sent = Stopwatch.GetTimestamp();
                var status = await send(sequence, cancellationToken);
                var answered = Stopwatch.GetTimestamp();
                ack.Record(answered - scheduled);
                service.Record(answered - sent);
                if ((int)status is >= 200 and < 300)
                {
                    Interlocked.Increment(ref counters[0]);
                }
                else
                {
                    failures.AddOrUpdate($"HTTP {(int)status}", 1, (_, n) => n + 1);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failures.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
            }
            finally
            {
                Interlocked.Decrement(ref counters[1]);
            }
        }
    }
}
