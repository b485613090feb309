namespace RetentionPlatform.Profiles.Scoring;

/// <summary>Derived figures of a profile: purchase cadence, RFM, churn risk and lifetime value.</summary>
public static class ProfileScores
{
    /// <summary>Recomputes every score at <paramref name="now"/>; returns when time alone will next change the churn risk.</summary>
    public static DateTimeOffset? Recompute(CustomerProfile profile, ContactPolicy policy, DateTimeOffset now)
    {
        var commerce = profile.Commerce;
        commerce.CadenceDays = Cadence(commerce.RecentOrders);

        var (score, reasons, next) = ChurnScorer.Score(ChurnFeatures.Extract(profile, policy, now), now);
        profile.Churn.Score = score;
        profile.Churn.Level = ChurnScorer.LevelOf(score);
        profile.Churn.Reasons = reasons;
        profile.Churn.EvaluatedAt = now;

        profile.Rfm = commerce.LastOrderAt is { } last
            ? new RfmScores(Recency((now - last).TotalDays), Frequency(commerce.Orders), Monetary(commerce.Revenue, policy.MonetaryBands))
            : new RfmScores();

        // Next twelve months at the customer's own rhythm, discounted by the risk of not coming back.
        var cadence = commerce.CadenceDays ?? policy.DefaultPurchaseCadence.TotalDays;
        var predicted = commerce.Orders == 0 ? 0m : commerce.AverageOrderValue * (decimal)(365 / Math.Max(1, cadence)) * (1 - (score / 100m));
        profile.LifetimeValue = new LifetimeValue(commerce.Revenue, decimal.Round(predicted, 2));
        return next;
    }

    /// <summary>Median days between consecutive orders (robust to one long holiday); null below two orders.</summary>
    public static double? Cadence(List<OrderRecord> orders)
    {
        if (orders.Count < 2)
        {
            return null;
        }

        var gaps = new double[orders.Count - 1];
        for (var i = 1; i < orders.Count; i++)
        {
            gaps[i - 1] = (orders[i].At - orders[i - 1].At).TotalDays;
        }

        Array.Sort(gaps);
        var middle = gaps.Length / 2;
        var median = gaps.Length % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2;
        return Math.Round(Math.Max(median, 0.01), 2);
    }

    private static int Recency(double days) => days <= 30 ? 5 : days <= 60 ? 4 : days <= 120 ? 3 : days <= 240 ? 2 : 1;

    private static int Frequency(int orders) => orders >= 10 ? 5 : orders >= 5 ? 4 : orders >= 3 ? 3 : orders >= 2 ? 2 : 1;

    private static int Monetary(decimal revenue, IReadOnlyList<decimal> bands)
    {
        var score = 1;
        foreach (var band in bands)
        {
            if (revenue >= band)
            {
                score++;
            }
        }

        return Math.Min(score, 5);
    }
}
