namespace RetentionPlatform.Notifications.Model;

/// <summary>Where a message is in the send pipeline.</summary>
public enum MessageStatus
{
    /// <summary>Accepted; the contact decision has not been asked yet.</summary>
    Pending,

    /// <summary>The contact decision said "later": asked again when due.</summary>
    Deferred,

    /// <summary>Allowed and rendered; waiting for (or retrying) delivery on its channel.</summary>
    Queued,

    /// <summary>Handed to the channel (the SMTP server, the webhook, the provider accepted it).</summary>
    Sent,

    /// <summary>The contact decision said no; never sent.</summary>
    Denied,

    /// <summary>Delivery failed for good (a permanent error, or every retry used up).</summary>
    Failed,

    /// <summary>Withdrawn before it was sent (the customer was erased, the appointment was cancelled).</summary>
    Cancelled,
}
