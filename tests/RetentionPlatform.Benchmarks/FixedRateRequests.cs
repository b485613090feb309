using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Open-loop load of any request, on the <see cref="OpenLoopSchedule"/>: request <c>i</c> is due at
/// <c>start + i / rate</c> and its latency counts from that time, so stalls show in the percentiles (no coordinated
/// omission). <see cref="FixedRateLoad"/> only posts events (with probes); this sends whatever it is given, such as reads.
/// </summary>
public static class FixedRateRequests
{
    /// <summary>
    /// Sends <paramref name="send"/> (given a sequence number; it returns the answer's status) at
    /// <paramref name="rate"/> per second for <paramref name="duration"/>; any status outside 2xx is a failure.
    /// </summary>
    public static async Task<FixedRateResult> RunAsync(int rate, TimeSpan duration, Func<long, CancellationToken, Task<HttpStatusCode>> send, CancellationToken cancellationToken)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var ack = new LatencySamples((int)Math.Min(total, 1_000_000));
        var service = new LatencySamples((int)Math.Min(total, 1_000_000));
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        long succeeded = 0;

        var dispatch = await OpenLoopSchedule.RunAsync(total, rate, SendAsync, cancellationToken);
        await Task.WhenAny(dispatch.AllSends, Task.Delay(LoadClient.RequestTimeout + TimeSpan.FromSeconds(5), CancellationToken.None));

        return new FixedRateResult(
            rate,
            dispatch.Issued,
            Interlocked.Read(ref succeeded),
            failures,
            ack.Summarize(),
            service.Summarize(),
            new LatencySamples(0).Summarize(),
            0,
            0,
            dispatch.IssuedPerSecond,
            dispatch.MaxLagMs);

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
                    Interlocked.Increment(ref succeeded);
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
        }
    }
}
