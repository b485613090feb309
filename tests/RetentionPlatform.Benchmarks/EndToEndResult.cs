using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>The closed-loop posting of the end-to-end phase, how its events became visible, and what the platform did meanwhile.</summary>
public sealed record EndToEndResult(ClosedLoopResult Posting, VisibilityResult Visibility, PlatformDelta DuringPosting, PlatformDelta PlatformUntilVisible)
{
    /// <summary>Time from the first post until the last event was visible (or until polling gave up).</summary>
    public TimeSpan UntilVisible => Stopwatch.GetElapsedTime(
        Posting.StartTimestamp,
        Visibility.AllVisible ? Visibility.LastVisibleTimestamp : Visibility.FinishedTimestamp);

    /// <summary>Events per second from first post to all visible (a lower bound when not all became visible).</summary>
    public double EventsPerSecond => Visibility.VisibleEvents / Math.Max(UntilVisible.TotalSeconds, 1e-9);

    /// <summary>Time between the last acknowledgement and the last event becoming visible.</summary>
    public TimeSpan Drain => UntilVisible - Posting.Elapsed;
}
