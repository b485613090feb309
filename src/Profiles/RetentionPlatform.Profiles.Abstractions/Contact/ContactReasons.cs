namespace RetentionPlatform.Profiles;

/// <summary>The reason codes of contact decisions: stable, documented, used as metric tags.</summary>
public static class ContactReasons
{
    public const string Allowed = "allowed";
    public const string UnknownCustomer = "unknown_customer";
    public const string Erased = "erased";
    public const string NoConsent = "no_consent";
    public const string ConsentWithdrawn = "consent_withdrawn";
    public const string ChannelBounced = "channel_bounced";
    public const string OpenSupportCase = "open_support_case";
    public const string NegativeFeedback = "negative_feedback";
    public const string RefundInProgress = "refund_in_progress";
    public const string Cancellation = "cancellation";
    public const string HumanOwner = "human_owner";
    public const string AppointmentSoon = "appointment_soon";
    public const string Paused = "paused";
    public const string QuietHours = "quiet_hours";
    public const string BudgetExhausted = "budget_exhausted";
}
