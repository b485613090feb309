namespace RetentionPlatform.Notifications.Model;

/// <summary>How a message reaches the customer.</summary>
public enum NotificationChannel
{
    Email,
    Sms,
    Push,
    Webhook,
}
