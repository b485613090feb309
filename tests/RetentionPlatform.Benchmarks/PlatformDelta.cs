using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>What the platform and the machine did between two snapshots, as rates.</summary>
/// <param name="From">The earlier snapshot.</param>
/// <param name="To">The later snapshot.</param>
/// <param name="MaxLag">Largest Profiles consumer lag sampled in between.</param>
/// <param name="MaxThreadPoolThreads">Most thread-pool threads sampled in between (more than the cores means blocked threads).</param>
/// <param name="MaxQueuedWorkItems">Most thread-pool work items waiting for a thread, sampled in between.</param>
public sealed record PlatformDelta(PlatformSnapshot From, PlatformSnapshot To, long MaxLag, int MaxThreadPoolThreads, long MaxQueuedWorkItems)
{
    public TimeSpan Wall => Stopwatch.GetElapsedTime(From.Timestamp, To.Timestamp);

    public double PublishedPerSecond => (To.Published - From.Published) / Seconds;

    public double HandledPerSecond => (To.Handled - From.Handled) / Seconds;

    /// <summary>Events per grain call: how well the consumer batched a customer's events.</summary>
    public double EventsPerHandlerCall => (To.Handled - From.Handled) / (double)Math.Max(1, To.HandlerCalls - From.HandlerCalls);

    public double MeanHandlerCallMs => (To.HandlerSeconds - From.HandlerSeconds) * 1000 / Math.Max(1, To.HandlerCalls - From.HandlerCalls);

    public double ProcessCores => (To.ProcessCpu - From.ProcessCpu).TotalSeconds / Seconds;

    public double PostgresCores => (To.PostgresCpu - From.PostgresCpu).TotalSeconds / Seconds;

    public double MachineCores => (To.MachineBusy - From.MachineBusy).TotalSeconds / Seconds;

    public double GcPausePercent => (To.GcPause - From.GcPause).TotalSeconds * 100 / Seconds;

    /// <summary>Cores used by whatever else runs on the machine (other builds, tests, the OS).</summary>
    public double OtherCores => Math.Max(0, MachineCores - ProcessCores - PostgresCores);

    /// <summary>CPU time of this process per event applied (everything: load generator, gateway, services, Kafka).</summary>
    public double ProcessCpuMsPerEvent => (To.ProcessCpu - From.ProcessCpu).TotalMilliseconds / Math.Max(1, To.Handled - From.Handled);

    /// <summary>
    /// The busiest thread groups of this process, in cores; then the rest, and the threads that ended meanwhile
    /// (their CPU time leaves <c>/proc/self/task</c> with them: retired thread-pool workers, mostly).
    /// </summary>
    public IEnumerable<(string Name, double Cores)> TopThreads(int count)
    {
        var all = To.Threads
            .Select(t => (Name: t.Key, Cores: Math.Max(0, (t.Value - From.Threads.GetValueOrDefault(t.Key)).TotalSeconds / Seconds)))
            .OrderByDescending(t => t.Cores)
            .ToList();
        return all.Take(count)
            .Append(("(other threads)", all.Skip(count).Sum(t => t.Cores)))
            .Append(("(ended threads)", Math.Max(0, ProcessCores - all.Sum(t => t.Cores))));
    }

    private double Seconds => Math.Max(Wall.TotalSeconds, 1e-9);
}
