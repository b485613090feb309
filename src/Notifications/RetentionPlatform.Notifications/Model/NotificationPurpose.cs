namespace RetentionPlatform.Notifications.Model;

/// <summary>Why a message is sent; the contact decision and the unsubscribe link depend on it.</summary>
public enum NotificationPurpose
{
    /// <summary>Something the customer set in motion (a booking confirmation, a reminder, a receipt).</summary>
    Transactional,

    /// <summary>Service information (a feedback request, a change of opening hours).</summary>
    Service,

    /// <summary>Promotion; needs the customer's explicit consent.</summary>
    Marketing,
}
