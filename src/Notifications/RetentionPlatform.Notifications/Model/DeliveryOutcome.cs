namespace RetentionPlatform.Notifications.Model;

/// <summary>What a channel made of one delivery attempt.</summary>
public enum DeliveryOutcome
{
    /// <summary>The server or endpoint accepted the message.</summary>
    Sent,

    /// <summary>It may work later (connection refused, timeout, 4xx SMTP reply, HTTP 5xx/429): retried with backoff.</summary>
    Transient,

    /// <summary>It will never work (a rejected address, HTTP 4xx, no channel configured): not retried.</summary>
    Permanent,
}
