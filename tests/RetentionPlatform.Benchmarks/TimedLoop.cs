using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>Runs an operation closed loop on <c>concurrency</c> workers: a warm-up, then a measured window.</summary>
public static class TimedLoop
{
    /// <summary>Runs <paramref name="operation"/> (given a sequence number); <paramref name="postgresCpu"/> reads PostgreSQL's CPU time.</summary>
    /// <remarks>An operation may stand for several units of work: <paramref name="unitsPerOperation"/> scales the counts.</remarks>
    public static async Task<BreakdownStep> RunAsync(
        string name, int concurrency, TimeSpan warmup, TimeSpan duration, Func<long, CancellationToken, Task> operation, Func<TimeSpan> postgresCpu,
        CancellationToken cancellationToken, int unitsPerOperation = 1)
    {
        var sequence = new long[1];
        await RunWindowAsync(concurrency, warmup, sequence, operation, null, cancellationToken);

        var latency = new LatencySamples();
        var cpu = Environment.CpuUsage.TotalTime;
        var postgres = postgresCpu();
        var start = Stopwatch.GetTimestamp();
        var (operations, errors) = await RunWindowAsync(concurrency, duration, sequence, operation, latency, cancellationToken);
        return new BreakdownStep(
            name, operations * unitsPerOperation, errors, Stopwatch.GetElapsedTime(start), latency.Summarize(), Environment.CpuUsage.TotalTime - cpu, postgresCpu() - postgres);
    }

    private static async Task<(long Operations, long Errors)> RunWindowAsync(
        int concurrency, TimeSpan window, long[] sequence, Func<long, CancellationToken, Task> operation, LatencySamples? latency, CancellationToken cancellationToken)
    {
        var counts = new long[2];
        var deadline = Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await operation(Interlocked.Increment(ref sequence[0]), cancellationToken).WaitAsync(LoadClient.RequestTimeout, cancellationToken);
                    latency?.RecordSince(started);
                    Interlocked.Increment(ref counts[0]);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref counts[1]);
                }
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers);
        return (counts[0], counts[1]);
    }
}
