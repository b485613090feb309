namespace RetentionPlatform.Notifications.Apis;

/// <summary>A template locale as PUT takes it and GET returns it.</summary>
internal sealed record TemplateDocument(string? TemplateId, string? Locale, string? Subject, string? Html, string? Text, DateTimeOffset? UpdatedAt);
