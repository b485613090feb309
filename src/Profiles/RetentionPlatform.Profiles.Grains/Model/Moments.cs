namespace RetentionPlatform.Profiles.Model;

/// <summary>The comparisons of optional moments that applying, merging and scheduling share.</summary>
internal static class Moments
{
    /// <summary>The earlier of two moments; a missing one gives way to the other.</summary>
    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The later of two moments; a missing one gives way to the other.</summary>
    public static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>Keeps in <paramref name="next"/> the earliest candidate still ahead of <paramref name="now"/> ("never" is not a moment).</summary>
    public static void ConsiderNext(ref DateTimeOffset? next, DateTimeOffset candidate, DateTimeOffset now)
    {
        if (candidate > now && candidate != DateTimeOffset.MaxValue && (next is null || candidate < next))
        {
            next = candidate;
        }
    }
}
