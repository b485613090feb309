using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>
/// When one resource is taken (appointments with their buffers, time off), merged into sorted disjoint intervals so
/// an overlap test is one binary search.
/// </summary>
public sealed class BusyTimes
{
    private readonly Instant[] _starts;
    private readonly Instant[] _ends;

    public BusyTimes(IEnumerable<Interval> intervals)
    {
        var sorted = intervals.Where(i => i.HasStart && i.HasEnd && i.End > i.Start).ToArray();
        Array.Sort(sorted, static (a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<(Instant Start, Instant End)>(sorted.Length);
        foreach (var interval in sorted)
        {
            if (merged.Count > 0 && interval.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Instant.Max(merged[^1].End, interval.End));
            }
            else
            {
                merged.Add((interval.Start, interval.End));
            }
        }

        _starts = [.. merged.Select(m => m.Start)];
        _ends = [.. merged.Select(m => m.End)];
    }

    public static BusyTimes None { get; } = new([]);

    /// <summary>The merged busy intervals, in order.</summary>
    public IEnumerable<Interval> Intervals => _starts.Select((start, i) => new Interval(start, _ends[i]));

    /// <summary>Whether any busy time overlaps [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public bool Overlaps(Instant start, Instant end)
    {
        // The first busy interval that ends after start; the ends are sorted because the intervals are disjoint.
        int lo = 0, hi = _ends.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ends[mid] <= start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < _starts.Length && _starts[lo] < end;
    }
}
