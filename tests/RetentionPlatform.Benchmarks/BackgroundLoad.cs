namespace RetentionPlatform.Benchmarks;

/// <summary>How busy the machine is before the benchmark starts: other work will compete with every phase.</summary>
public static class BackgroundLoad
{
    /// <summary>Busy cores of the whole machine over <paramref name="window"/>.</summary>
    public static async Task<double> MeasureAsync(TimeSpan window)
    {
        var before = CpuTime.MachineBusy();
        await Task.Delay(window);
        return (CpuTime.MachineBusy() - before).TotalSeconds / window.TotalSeconds;
    }
}
