namespace RetentionPlatform.Notifications.Model;

/// <summary>One line of a message's delivery log (also published on <c>retention.message-events.v1</c>).</summary>
/// <param name="EventType">message_requested, message_deferred, message_denied, message_sent, message_failed, message_bounced, message_delivered, message_opened, message_clicked, message_unsubscribed, human_requested, feedback_submitted.</param>
/// <param name="OccurredAt">When.</param>
/// <param name="PropertiesJson">The event's properties as a JSON object.</param>
public sealed record MessageLogEntry(string EventType, DateTimeOffset OccurredAt, string PropertiesJson);
