using System.Diagnostics;
using Grpc.Core;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>Closed-loop load: a fixed number of callers, each sending its next call as soon as the last one answers; measures capacity.</summary>
internal static class ClosedLoop
{
    /// <summary>Calls answered per second, and their latencies, with <paramref name="callers"/> calls always in flight.</summary>
    public static async Task<Latencies> RunAsync(int callers, TimeSpan duration, Func<int, Task> call)
    {
        var latencies = new List<double>();
        var failures = 0;
        var sequence = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(Interlocked.Increment(ref sequence));
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (RpcException)
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
