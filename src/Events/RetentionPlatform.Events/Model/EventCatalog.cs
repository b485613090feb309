namespace RetentionPlatform.Events.Model;

/// <summary>The v1 event catalog (ARCHITECTURE.md, "Events"): the only types ingestion accepts.</summary>
public static class EventCatalog
{
    public static IReadOnlySet<string> V1Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "identify", "traits_set",
        "page_viewed", "product_viewed", "cart_updated", "checkout_started",
        "order_placed", "order_refunded",
        "subscription_started", "subscription_plan_changed", "subscription_cancelled",
        "support_case_opened", "support_case_closed", "feedback_submitted",
        "appointment_booked", "appointment_rescheduled", "appointment_cancelled", "appointment_completed", "appointment_no_show",
        "message_sent", "message_delivered", "message_opened", "message_clicked", "message_bounced", "message_unsubscribed",
        "consent_given", "consent_withdrawn",
        "human_requested", "customer_erased",
    };
}
