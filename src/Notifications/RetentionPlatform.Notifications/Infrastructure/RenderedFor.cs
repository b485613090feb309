using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>A message rendered for its channel and address, kept while it is queued for delivery.</summary>
public sealed record RenderedFor(NotificationChannel Channel, string Address, string? RecipientName, RenderedMessage Content, string Locale);
