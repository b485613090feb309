using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// The open-loop dispatcher behind <see cref="FixedRateLoad"/> and <see cref="FixedRateRequests"/>: send <c>i</c>
/// is due at <c>start + i / rate</c> whatever happened to earlier sends, and is handed its scheduled timestamp so
/// its latency can count from then (no coordinated omission).
/// </summary>
public static class OpenLoopSchedule
{
    /// <summary>Sends in flight beyond which the dispatcher waits (latency still counts from the schedule).</summary>
    public const int MaxInFlight = 2048;

    /// <param name="Issued">How many sends were started.</param>
    /// <param name="IssuedPerSecond">The rate they were actually started at.</param>
    /// <param name="MaxLagMs">The furthest a send started behind its schedule.</param>
    /// <param name="AllSends">Completes when every send has.</param>
    public sealed record Dispatch(long Issued, double IssuedPerSecond, double MaxLagMs, Task AllSends);

    /// <summary>Starts <paramref name="send"/>(sequence, scheduled timestamp) <paramref name="total"/> times at <paramref name="rate"/> per second.</summary>
    public static async Task<Dispatch> RunAsync(long total, int rate, Func<long, long, Task> send, CancellationToken cancellationToken)
    {
        var ticksPerSend = (double)Stopwatch.Frequency / rate;
        var sends = new List<Task>((int)Math.Min(total, 1_000_000));
        long inFlight = 0;
        long maxLag = 0;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        long issued = 0;
        while (issued < total && !cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var due = now < start ? 0 : Math.Min(total, (long)((now - start) / ticksPerSend) + 1);
            for (; issued < due && Interlocked.Read(ref inFlight) < MaxInFlight; issued++)
            {
                var scheduled = start + (long)(issued * ticksPerSend);
                maxLag = Math.Max(maxLag, now - scheduled);
                Interlocked.Increment(ref inFlight);
                sends.Add(TrackAsync(send(issued, scheduled)));
            }

            await Task.Delay(1, CancellationToken.None);
        }

        var dispatchEnd = Stopwatch.GetTimestamp();
        return new Dispatch(
            issued,
            issued / Math.Max(Stopwatch.GetElapsedTime(start, dispatchEnd).TotalSeconds, 1e-9),
            maxLag * 1000.0 / Stopwatch.Frequency,
            Task.WhenAll(sends));

        async Task TrackAsync(Task sending)
        {
            try
            {
                await sending;
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }
}
