using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>What the platform and the machine did between two snapshots, as rates.</summary>
public sealed record PlatformDelta(PlatformSnapshot From, PlatformSnapshot To, long MaxLag)
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

    /// <summary>The busiest thread groups of this process, in cores.</summary>
    public IEnumerable<(string Name, double Cores)> TopThreads(int count) => To.Threads
        .Select(t => (Name: t.Key, Cores: (t.Value - From.Threads.GetValueOrDefault(t.Key)).TotalSeconds / Seconds))
        .OrderByDescending(t => t.Cores)
        .Take(count);

    private double Seconds => Math.Max(Wall.TotalSeconds, 1e-9);
}
