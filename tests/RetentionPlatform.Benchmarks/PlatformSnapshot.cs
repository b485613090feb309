namespace RetentionPlatform.Benchmarks;

/// <summary>Cumulative counters of the platform and the machine at one instant (see <see cref="PlatformObserver"/>).</summary>
/// <param name="Timestamp">Stopwatch timestamp of the snapshot.</param>
/// <param name="Published">Events the events service had published (acknowledged by Kafka).</param>
/// <param name="Handled">Events the Profiles consumer had applied and committed.</param>
/// <param name="HandlerCalls">Grain apply calls (one per customer per consumed batch).</param>
/// <param name="HandlerSeconds">Summed duration of those calls.</param>
/// <param name="ProcessCpu">CPU time of this process (benchmark and platform services).</param>
/// <param name="PostgresCpu">CPU time of the platform's PostgreSQL server (postmaster and backends).</param>
/// <param name="MachineBusy">Busy CPU time of the whole machine.</param>
/// <param name="GcPause">Time this process spent paused for garbage collection.</param>
/// <param name="Threads">CPU time of this process's threads, by name.</param>
public sealed record PlatformSnapshot(
    long Timestamp,
    long Published,
    long Handled,
    long HandlerCalls,
    double HandlerSeconds,
    TimeSpan ProcessCpu,
    TimeSpan PostgresCpu,
    TimeSpan MachineBusy,
    TimeSpan GcPause,
    IReadOnlyDictionary<string, TimeSpan> Threads);
