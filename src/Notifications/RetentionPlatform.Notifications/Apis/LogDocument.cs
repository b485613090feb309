using System.Text.Json;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>One line of a message's delivery log.</summary>
internal sealed record LogDocument(string EventType, DateTimeOffset At, JsonElement Properties);
