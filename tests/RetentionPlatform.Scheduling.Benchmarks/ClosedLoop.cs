using System.Diagnostics;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// Closed-loop load: a fixed number of callers, each sending its next call as soon as the last one answered. A call
/// returns whether it succeeded; only successful calls' latencies are counted.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Makes <paramref name="calls"/> calls numbered 0.., <paramref name="callers"/> at a time.</summary>
    public static Task<Latencies> RunAsync(int callers, int calls, Func<int, Task<bool>> call) =>
        RunAsync(callers, i => i < calls, call);

    /// <summary>Calls for <paramref name="duration"/>, <paramref name="callers"/> at a time.</summary>
    public static Task<Latencies> RunAsync(int callers, TimeSpan duration, Func<int, Task<bool>> call)
    {
        var stopwatch = Stopwatch.StartNew();
        return RunAsync(callers, _ => stopwatch.Elapsed < duration, call);
    }

    private static async Task<Latencies> RunAsync(int callers, Func<int, bool> more, Func<int, Task<bool>> call)
    {
        var latencies = new List<double>();
        var failures = 0;
        var sequence = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            int i;
            while (more(i = Interlocked.Increment(ref sequence)))
            {
                var started = Stopwatch.GetTimestamp();
                if (await call(i))
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        })));

        return Latencies.From(latencies, failures, stopwatch.Elapsed.TotalSeconds);
    }
}
