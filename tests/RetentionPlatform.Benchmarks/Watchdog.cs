namespace RetentionPlatform.Benchmarks;

/// <summary>Ends the process if the run outlives its hard limit, so the benchmark can never hang a terminal or a CI job.</summary>
public sealed class Watchdog : IDisposable
{
    private readonly Timer _timer;

    public Watchdog(TimeSpan limit) =>
        _timer = new Timer(_ =>
        {
            Console.Error.WriteLine($"Benchmark exceeded its hard limit of {limit.TotalSeconds:0} s; exiting.");
            Environment.Exit(3);
        }, null, limit, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();
}
