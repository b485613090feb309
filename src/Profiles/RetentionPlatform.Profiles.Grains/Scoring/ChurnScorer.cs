using System.Globalization;
using RetentionPlatform.Profiles.Model;

namespace RetentionPlatform.Profiles.Scoring;

/// <summary>
/// Churn risk v1: a transparent sum of behaviour signals (0-100) with the reasons that drove it. Each signal
/// is measured against the customer's own rhythm where one exists, so a monthly buyer is not "at risk" after
/// three weeks while a weekly buyer is.
/// </summary>
public static class ChurnScorer
{
    public const int MediumFrom = 30;
    public const int HighFrom = 60;

    /// <summary>How long a complaint-free bad signal (feedback, refund, no-show) keeps counting.</summary>
    public static readonly TimeSpan SignalMemory = TimeSpan.FromDays(90);

    public static string LevelOf(int score) => score >= HighFrom ? "high" : score >= MediumFrom ? "medium" : "low";

    /// <summary>The score, its reasons (largest first), and the next instant at which time alone changes it.</summary>
    public static (int Score, List<string> Reasons, DateTimeOffset? NextChange) Score(ChurnFeatures f, DateTimeOffset now)
    {
        var signals = new List<(int Points, string Reason)>();
        DateTimeOffset? next = null;

        if (f.LastOrderAt is { } lastOrder && f.DaysSinceLastOrder is { } since)
        {
            var cadence = Math.Max(1, f.CadenceDays);
            var ratio = since / cadence;
            if (ratio >= 3)
            {
                signals.Add((45, $"No order for {Days(since)} days; usually orders every {Days(cadence)} days."));
            }
            else if (ratio >= 1.5)
            {
                signals.Add((25, $"Order overdue: {Days(since)} days since the last; usually every {Days(cadence)} days."));
            }

            Moments.ConsiderNext(ref next, lastOrder + TimeSpan.FromDays(cadence * 1.5), now);
            Moments.ConsiderNext(ref next, lastOrder + TimeSpan.FromDays(cadence * 3), now);
        }

        if (f.LastIntervalDays is { } lastGap && f.EarlierIntervalDays is { } earlierGap && earlierGap > 0 && lastGap >= 1.5 * earlierGap)
        {
            signals.Add((15, $"Ordering less often: last gap {Days(lastGap)} days against {Days(earlierGap)} before."));
        }

        if (f.OpenComplaint)
        {
            signals.Add((15, "Has an open complaint."));
        }

        Recent(signals, ref next, f.LastNegativeFeedbackAt, now, 20, "Gave negative feedback recently.");
        Recent(signals, ref next, f.SubscriptionCancelledAt, now, 40, "Cancelled their plan.");
        Recent(signals, ref next, f.LastRefundAt, now, 10, "Asked for a refund recently.");
        if (f.NoShows > 0)
        {
            Recent(signals, ref next, f.LastNoShowAt, now, Math.Min(f.NoShows, 2) * 10, $"Missed {f.NoShows} appointment(s).");
        }

        signals.Sort((a, b) => b.Points.CompareTo(a.Points));
        return (Math.Min(100, signals.Sum(s => s.Points)), signals.ConvertAll(s => s.Reason), next);
    }

    private static void Recent(List<(int, string)> signals, ref DateTimeOffset? next, DateTimeOffset? at, DateTimeOffset now, int points, string reason)
    {
        if (at is { } time && now - time < SignalMemory)
        {
            signals.Add((points, reason));
            Moments.ConsiderNext(ref next, time + SignalMemory, now);
        }
    }

    private static string Days(double days) => Math.Round(days).ToString(CultureInfo.InvariantCulture);
}
