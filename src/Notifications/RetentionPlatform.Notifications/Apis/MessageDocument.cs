using System.Text.Json;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>A message as the API shows it (no rendered content: that stays in the delivery log's store).</summary>
internal sealed record MessageDocument(
    Guid MessageId,
    string CustomerId,
    string TemplateId,
    string Status,
    string? Reason,
    string? Detail,
    string? Channel,
    string Purpose,
    string Kind,
    IReadOnlyList<string> Channels,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? SentAt,
    string? Subject,
    IReadOnlyList<LogDocument>? Log)
{
    public static MessageDocument From(Message m, IReadOnlyList<MessageLogEntry>? log = null) => new(
        m.MessageId, m.CustomerId, m.TemplateId, Names.Of(m.Status), m.Reason, m.Detail, m.Channel is { } c ? Names.Of(c) : null,
        Names.Of(m.Purpose), m.Kind, m.Channels.Select(Names.Of).ToList(), m.Attempts, m.CreatedAt, m.DueAt, m.SentAt, m.Subject,
        log?.Select(l => new LogDocument(l.EventType, l.OccurredAt, JsonDocument.Parse(l.PropertiesJson).RootElement.Clone())).ToList());
}
