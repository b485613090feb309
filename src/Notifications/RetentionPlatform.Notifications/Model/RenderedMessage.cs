namespace RetentionPlatform.Notifications.Model;

/// <summary>A template rendered for one customer: the sanitised HTML always carries the human and unsubscribe links.</summary>
public sealed record RenderedMessage(string Subject, string? Html, string Text);
