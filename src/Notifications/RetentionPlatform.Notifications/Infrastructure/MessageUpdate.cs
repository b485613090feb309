using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// What one pipeline step did to a claimed message: its new state and the delivery-log events that record it, written
/// together in one transaction (the log is the outbox of <c>retention.message-events.v1</c>).
/// </summary>
/// <param name="Message">The claimed message.</param>
/// <param name="Status">Its new status.</param>
/// <param name="DueAt">When a worker should look at it again (deferred, queued, retried).</param>
/// <param name="Reason">The deciding rule or the error's class.</param>
/// <param name="Detail">The same in words.</param>
/// <param name="Attempts">Delivery attempts made so far.</param>
/// <param name="Rendered">The chosen channel, address and rendered content, set when the message is queued.</param>
/// <param name="ProviderId">The receiving side's id, when sent.</param>
/// <param name="Events">Log events: (type, properties as JSON, event id suffix making a repeat of the same fact collapse).</param>
public sealed record MessageUpdate(
    Message Message,
    MessageStatus Status,
    DateTimeOffset DueAt,
    string? Reason,
    string? Detail,
    int Attempts,
    RenderedFor? Rendered,
    string? ProviderId,
    IReadOnlyList<LogEvent> Events);
