using RetentionPlatform.Profiles.Model;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// A tenant's <see cref="ContactPolicy"/> as REST shows and takes it: durations as ISO 8601 strings
/// (<c>P7D</c>, <c>PT24H</c>), quiet hours as <c>HH:mm</c> in the customer's local time.
/// </summary>
internal sealed record ContactPolicyDocument(
    int BudgetMaxTouches,
    string BudgetWindow,
    string QuietHoursStart,
    string QuietHoursEnd,
    string DefaultTimeZone,
    string NegativeFeedbackWindow,
    double NegativeFeedbackThreshold,
    string RefundWindow,
    string CancellationWindow,
    string AppointmentQuietPeriod,
    string DefaultPurchaseCadence,
    IReadOnlyList<decimal> MonetaryBands)
{
    public static ContactPolicyDocument From(ContactPolicy policy) => new(
        policy.BudgetMaxTouches,
        ApiValues.FormatDuration(policy.BudgetWindow),
        ApiValues.FormatMinuteOfDay(policy.QuietHoursStartMinute),
        ApiValues.FormatMinuteOfDay(policy.QuietHoursEndMinute),
        policy.DefaultTimeZone,
        ApiValues.FormatDuration(policy.NegativeFeedbackWindow),
        policy.NegativeFeedbackThreshold,
        ApiValues.FormatDuration(policy.RefundWindow),
        ApiValues.FormatDuration(policy.CancellationWindow),
        ApiValues.FormatDuration(policy.AppointmentQuietPeriod),
        ApiValues.FormatDuration(policy.DefaultPurchaseCadence),
        policy.MonetaryBands);
}
