namespace RetentionPlatform.Profiles.Model;

/// <summary>The ranges a tenant's contact policy must keep (documented on the proto's <c>ContactPolicy</c> and the REST route).</summary>
internal static class ContactPolicyRules
{
    public const int MaxBudgetTouches = 1000;
    public const int MonetaryBandCount = 4;

    /// <summary>Checks every field of <paramref name="input"/>; returns the policy (defaults for what is unset) or null with errors.</summary>
    public static ContactPolicy? Validate(ContactPolicyInput input, FieldErrors errors)
    {
        var defaults = new ContactPolicy();
        if (input.BudgetMaxTouches is < 0 or > MaxBudgetTouches)
        {
            errors.Add("budgetMaxTouches", $"The budget must be 0-{MaxBudgetTouches} touches (0 allows transactional messages only).");
        }

        Range(input.BudgetWindow, "budgetWindow", TimeSpan.FromHours(1), TimeSpan.FromDays(365), errors);
        var start = QuietHour(input.QuietHoursStart, "quietHoursStart", defaults.QuietHoursStartMinute, errors);
        var end = QuietHour(input.QuietHoursEnd, "quietHoursEnd", defaults.QuietHoursEndMinute, errors);
        if (input.DefaultTimeZone is { } zone && !ApiValues.IsTimeZone(zone))
        {
            errors.Add("defaultTimeZone", $"'{zone}' is not an IANA time zone such as Europe/Berlin or America/New_York.");
        }

        Range(input.NegativeFeedbackWindow, "negativeFeedbackWindow", TimeSpan.Zero, TimeSpan.FromDays(365), errors);
        if (input.NegativeFeedbackThreshold is { } threshold && (!double.IsFinite(threshold) || threshold is < 0 or > 1))
        {
            errors.Add("negativeFeedbackThreshold", "The threshold is a share of the feedback scale, 0-1 (2 of 5 stars is 0.4).");
        }

        Range(input.RefundWindow, "refundWindow", TimeSpan.Zero, TimeSpan.FromDays(365), errors);
        Range(input.CancellationWindow, "cancellationWindow", TimeSpan.Zero, TimeSpan.FromDays(365), errors);
        Range(input.AppointmentQuietPeriod, "appointmentQuietPeriod", TimeSpan.Zero, TimeSpan.FromDays(30), errors);
        Range(input.DefaultPurchaseCadence, "defaultPurchaseCadence", TimeSpan.FromDays(1), TimeSpan.FromDays(730), errors);
        if (input.MonetaryBands is { } bands)
        {
            if (bands.Count != MonetaryBandCount)
            {
                errors.Add("monetaryBands", $"Give exactly {MonetaryBandCount} amounts: the revenue at which the monetary score becomes 2, 3, 4 and 5.");
            }
            else if (bands[0] < 0 || bands.Zip(bands.Skip(1)).Any(pair => pair.First >= pair.Second))
            {
                errors.Add("monetaryBands", "The amounts must be non-negative and strictly ascending.");
            }
        }

        return errors.IsEmpty
            ? new ContactPolicy
            {
                BudgetMaxTouches = input.BudgetMaxTouches ?? defaults.BudgetMaxTouches,
                BudgetWindow = input.BudgetWindow ?? defaults.BudgetWindow,
                QuietHoursStartMinute = start ?? defaults.QuietHoursStartMinute,
                QuietHoursEndMinute = end ?? defaults.QuietHoursEndMinute,
                DefaultTimeZone = input.DefaultTimeZone ?? defaults.DefaultTimeZone,
                NegativeFeedbackWindow = input.NegativeFeedbackWindow ?? defaults.NegativeFeedbackWindow,
                NegativeFeedbackThreshold = input.NegativeFeedbackThreshold ?? defaults.NegativeFeedbackThreshold,
                RefundWindow = input.RefundWindow ?? defaults.RefundWindow,
                CancellationWindow = input.CancellationWindow ?? defaults.CancellationWindow,
                AppointmentQuietPeriod = input.AppointmentQuietPeriod ?? defaults.AppointmentQuietPeriod,
                DefaultPurchaseCadence = input.DefaultPurchaseCadence ?? defaults.DefaultPurchaseCadence,
                MonetaryBands = input.MonetaryBands ?? defaults.MonetaryBands,
            }
            : null;
    }

    private static void Range(TimeSpan? value, string field, TimeSpan min, TimeSpan max, FieldErrors errors)
    {
        if (value is { } duration && (duration < min || duration > max))
        {
            errors.Add(field, $"The duration must be {ApiValues.FormatDuration(min)} to {ApiValues.FormatDuration(max)}.");
        }
    }

    private static int? QuietHour(string? value, string field, int fallback, FieldErrors errors)
    {
        if (value is null)
        {
            return fallback;
        }

        var minute = ApiValues.MinuteOfDay(value);
        if (minute is null)
        {
            errors.Add(field, $"'{value}' is not a time of day as HH:mm (00:00-23:59).");
        }

        return minute;
    }
}
