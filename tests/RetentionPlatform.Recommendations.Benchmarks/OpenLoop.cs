using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// Open-loop load: call <c>i</c> is due at <c>start + i / rate</c> whatever happened to earlier calls, and its
/// latency counts from that scheduled moment to its answer (no coordinated omission: a stall delays every call due
/// during it, and each of them counts the wait). A dedicated thread wakes about every millisecond and starts every
/// call due by then, so a call starts up to about a millisecond late; that lag is part of the latency and shows in
/// the baseline too.
/// </summary>
internal static class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(int rate, TimeSpan duration, Func<int, Task> call)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var ticksPerCall = (double)Stopwatch.Frequency / rate;
        var latencies = new double[total];
        var answered = new bool[total];
        var failures = new ConcurrentDictionary<StatusCode, int>();
        var calls = new Task[total];
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        long maxLag = 0;
        var lags = new double[total];

        var dispatcher = new Thread(() =>
        {
            var next = 0;
            while (next < total)
            {
                var now = Stopwatch.GetTimestamp();
                for (; next < total && start + (long)(next * ticksPerCall) <= now; next++)
                {
                    var scheduled = start + (long)(next * ticksPerCall);
                    maxLag = Math.Max(maxLag, now - scheduled);
                    lags[next] = (now - scheduled) * 1000.0 / Stopwatch.Frequency;
                    calls[next] = TimeAsync(next, scheduled);
                }

                Thread.Sleep(1);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop dispatcher",
        };
        var cpuBefore = MachineLoad.ProcessCpu();
        var contentionsBefore = Monitor.LockContentionCount;
        var (maxThreads, maxQueued) = (0, 0L);
        var gcPauses = new double[(int)Math.Ceiling(duration.TotalSeconds) + 1];
        var lastPause = GC.GetTotalPauseDuration();
        using var sampler = new Timer(
            _ =>
            {
                maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
                maxQueued = Math.Max(maxQueued, ThreadPool.PendingWorkItemCount);
                var pause = GC.GetTotalPauseDuration();
                var second = (int)Math.Clamp(Stopwatch.GetElapsedTime(start).TotalSeconds, 0, gcPauses.Length - 1);
                gcPauses[second] += (pause - lastPause).TotalMilliseconds;
                lastPause = pause;
            },
            null,
            TimeSpan.Zero,
            TimeSpan.FromMilliseconds(50));
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        var dispatchedIn = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(calls);
        var cpu = MachineLoad.ProcessCpu() - cpuBefore;
        var contentions = Monitor.LockContentionCount - contentionsBefore;

        var ok = new List<double>(total);
        var perSecond = new List<double>[(total + rate - 1) / rate];
        for (var i = 0; i < total; i++)
        {
            perSecond[i / rate] ??= [];
            if (answered[i])
            {
                ok.Add(latencies[i]);
                perSecond[i / rate].Add(latencies[i]);
            }
        }

        return new OpenLoopResult(
            Latencies.From(ok, failures.Values.Sum(), dispatchedIn.TotalSeconds),
            total / dispatchedIn.TotalSeconds,
            Latencies.From([.. lags], 0, dispatchedIn.TotalSeconds).P99,
            maxLag * 1000.0 / Stopwatch.Frequency,
            failures.ToDictionary(),
            cpu.TotalMicroseconds / total,
            maxThreads,
            maxQueued,
            contentions,
            [.. perSecond.Select(second => second.Count == 0 ? double.NaN : Latencies.From(second, 0, 1).P99)],
            gcPauses[..perSecond.Length]);

        async Task TimeAsync(int index, long scheduled)
        {
            try
            {
                await call(index);
                latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                answered[index] = true;
            }
            catch (RpcException e)
            {
                failures.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
            }
        }
    }
}
