namespace RetentionPlatform.Events.Model;

/// <summary>The acknowledgement of an ingested event: it is durably on the event bus.</summary>
/// <param name="EventId">The event id (the partner's, or the one assigned).</param>
/// <param name="Status">Always <c>accepted</c> for now.</param>
public sealed record EventAccepted(string EventId, string Status);
