namespace RetentionPlatform.Profiles;

/// <summary>
/// A tenant's contact rules. The defaults suit a small business; each tenant can change them through the API.
/// </summary>
[GenerateSerializer]
[Alias("retention.profiles.ContactPolicy.v1")]
public sealed record ContactPolicy
{
    /// <summary>Most non-transactional touches per customer within <see cref="BudgetWindow"/>, across every channel and journey.</summary>
    [Id(0)] public int BudgetMaxTouches { get; init; } = 3;

    /// <summary>The rolling window of the contact budget.</summary>
    [Id(1)] public TimeSpan BudgetWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Quiet hours start (local time of the customer), minutes after midnight.</summary>
    [Id(2)] public int QuietHoursStartMinute { get; init; } = 21 * 60;

    /// <summary>Quiet hours end (local time of the customer), minutes after midnight.</summary>
    [Id(3)] public int QuietHoursEndMinute { get; init; } = 8 * 60;

    /// <summary>The business's IANA time zone, used when the customer's own is unknown.</summary>
    [Id(4)] public string DefaultTimeZone { get; init; } = "UTC";

    /// <summary>How long negative feedback suppresses marketing.</summary>
    [Id(5)] public TimeSpan NegativeFeedbackWindow { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Feedback at or below this share of the scale (0-1) counts as negative (2 of 5 is 0.4).</summary>
    [Id(6)] public double NegativeFeedbackThreshold { get; init; } = 0.4;

    /// <summary>How long after a refund marketing stays suppressed.</summary>
    [Id(7)] public TimeSpan RefundWindow { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How long after a cancelled subscription marketing stays suppressed.</summary>
    [Id(8)] public TimeSpan CancellationWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>No promotion this close before an appointment.</summary>
    [Id(9)] public TimeSpan AppointmentQuietPeriod { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Purchase cadence assumed for a customer with fewer than two orders.</summary>
    [Id(10)] public TimeSpan DefaultPurchaseCadence { get; init; } = TimeSpan.FromDays(60);

    /// <summary>Revenue boundaries of the RFM monetary score 2, 3, 4 and 5 (ascending).</summary>
    [Id(11)] public IReadOnlyList<decimal> MonetaryBands { get; init; } = [50m, 150m, 500m, 1500m];
}
