using System.Text.Json;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>The body of POST /v1/notifications/messages.</summary>
internal sealed record SendDocument(
    string? CustomerId,
    string? TemplateId,
    NotificationChannel[]? Channels,
    NotificationPurpose? Purpose,
    string? IdempotencyKey,
    string? Kind,
    string? Locale,
    JsonElement? Data,
    DateTimeOffset? SendAt);
