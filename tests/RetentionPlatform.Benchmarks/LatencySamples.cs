using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>Latencies recorded as <see cref="Stopwatch"/> ticks from many threads; percentiles by sorting.</summary>
public sealed class LatencySamples
{
    private readonly Lock _gate = new();
    private readonly List<long> _ticks;

    public LatencySamples(int expectedCount = 1024) => _ticks = new List<long>(expectedCount);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ticks.Count;
            }
        }
    }

    /// <summary>Records the time from <paramref name="startTimestamp"/> until now.</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetTimestamp() - startTimestamp);

    public void Record(long elapsedTicks)
    {
        lock (_gate)
        {
            _ticks.Add(elapsedTicks);
        }
    }

    /// <summary>Nearest-rank percentiles of everything recorded so far.</summary>
    public LatencySummary Summarize()
    {
        long[] sorted;
        lock (_gate)
        {
            sorted = [.. _ticks];
        }

        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 99), sorted.Length == 0 ? double.NaN : ToMs(sorted[^1]));
    }

    private static double Percentile(long[] sorted, double percentile)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return ToMs(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
