namespace RetentionPlatform.Profiles.Model;

/// <summary>A contact policy as a caller sent it, already read from its wire format; null takes the default.</summary>
internal sealed record ContactPolicyInput
{
    public int? BudgetMaxTouches { get; init; }

    public TimeSpan? BudgetWindow { get; init; }

    public string? QuietHoursStart { get; init; }

    public string? QuietHoursEnd { get; init; }

    public string? DefaultTimeZone { get; init; }

    public TimeSpan? NegativeFeedbackWindow { get; init; }

    public double? NegativeFeedbackThreshold { get; init; }

    public TimeSpan? RefundWindow { get; init; }

    public TimeSpan? CancellationWindow { get; init; }

    public TimeSpan? AppointmentQuietPeriod { get; init; }

    public TimeSpan? DefaultPurchaseCadence { get; init; }

    public IReadOnlyList<decimal>? MonetaryBands { get; init; }
}
