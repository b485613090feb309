using System.Text.Json;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>The body of POST /v1/notifications/templates/{templateId}/preview.</summary>
internal sealed record PreviewDocument(string? Locale, string? CustomerId, JsonElement? Data, NotificationChannel? Channel);
