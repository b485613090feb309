using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Links;

/// <summary>What a signed link proves: which message, customer and tenant it belongs to and what it may do.</summary>
/// <param name="Action">What the link does.</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="MessageId">The message that carried the link.</param>
/// <param name="CustomerId">The customer it was sent to.</param>
/// <param name="Channel">The channel it was sent on (an unsubscribe stops this channel).</param>
/// <param name="Purpose">The message's purpose (an unsubscribe stops this purpose).</param>
/// <param name="Target">The click target URL, or the appointment id for <see cref="LinkAction.Cancel"/>; null otherwise.</param>
/// <param name="IssuedAt">When the link was made (links expire).</param>
public sealed record LinkClaims(
    LinkAction Action,
    string TenantId,
    Guid MessageId,
    string CustomerId,
    NotificationChannel Channel,
    NotificationPurpose Purpose,
    string? Target,
    DateTimeOffset IssuedAt);
