namespace RetentionPlatform.Events.Model;

/// <summary>The answer to <c>POST /v1/events</c>: the event is on the event bus, now or from an earlier request.</summary>
/// <param name="EventId">The event id (the partner's, or the one assigned).</param>
/// <param name="Status"><see cref="EventStatus.Accepted"/> (HTTP 202) or <see cref="EventStatus.Duplicate"/> (HTTP 200).</param>
public sealed record EventReceipt(string EventId, string Status);
