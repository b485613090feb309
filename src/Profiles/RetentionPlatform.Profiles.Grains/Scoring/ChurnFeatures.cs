namespace RetentionPlatform.Profiles.Scoring;

/// <summary>
/// The behaviour signals churn risk is computed from, extracted from a profile at one instant. Kept apart
/// from the rules so a trained model can later take the same features.
/// </summary>
public sealed record ChurnFeatures(
    int Orders,
    DateTimeOffset? LastOrderAt,
    double CadenceDays,
    double? DaysSinceLastOrder,
    double? LastIntervalDays,
    double? EarlierIntervalDays,
    bool OpenComplaint,
    DateTimeOffset? LastNegativeFeedbackAt,
    DateTimeOffset? SubscriptionCancelledAt,
    DateTimeOffset? LastRefundAt,
    int NoShows,
    DateTimeOffset? LastNoShowAt)
{
    public static ChurnFeatures Extract(CustomerProfile profile, ContactPolicy policy, DateTimeOffset now)
    {
        var commerce = profile.Commerce;
        var orders = commerce.RecentOrders;
        double? lastInterval = null, earlierInterval = null;
        if (orders.Count >= 3)
        {
            lastInterval = (orders[^1].At - orders[^2].At).TotalDays;
            earlierInterval = (orders[^2].At - orders[0].At).TotalDays / (orders.Count - 2);
        }

        return new ChurnFeatures(
            commerce.Orders,
            commerce.LastOrderAt,
            commerce.CadenceDays ?? policy.DefaultPurchaseCadence.TotalDays,
            commerce.LastOrderAt is { } last ? (now - last).TotalDays : null,
            lastInterval,
            earlierInterval,
            profile.Support.OpenCases.Values.Any(c => c.Complaint),
            profile.Support.LastNegativeFeedbackAt,
            profile.Subscription.Status == "cancelled" ? profile.Subscription.CancelledAt : null,
            commerce.LastRefundAt,
            profile.Appointments.NoShows,
            profile.Appointments.LastNoShowAt);
    }
}
