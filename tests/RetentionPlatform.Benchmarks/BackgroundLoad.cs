namespace RetentionPlatform.Benchmarks;

/// <summary>How busy the machine is before the benchmark starts: other work would compete with every phase.</summary>
public static class BackgroundLoad
{
    private const double QuietCores = 0.25;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for the machine to go quiet (for example the tail of the build
    /// <c>dotnet run</c> just did) and returns the busy cores of the last half second.
    /// </summary>
    public static async Task<double> SettleAsync(TimeSpan maxWait)
    {
        var deadline = DateTime.UtcNow + maxWait;
        double busy;
        do
        {
            var before = CpuTime.MachineBusy();
            await Task.Delay(Window);
            busy = (CpuTime.MachineBusy() - before).TotalSeconds / Window.TotalSeconds;
        }
        while (busy > QuietCores && DateTime.UtcNow < deadline);

        return busy;
    }
}
