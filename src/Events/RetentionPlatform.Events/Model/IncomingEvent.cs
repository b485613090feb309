using System.Text.Json;

namespace RetentionPlatform.Events.Model;

/// <summary>A validated event from a partner, ready to publish.</summary>
/// <param name="EventId">The partner's idempotency key, or one assigned at ingestion.</param>
/// <param name="Type">A v1 catalog type.</param>
/// <param name="CustomerId">The partner's customer id.</param>
/// <param name="OccurredAt">When it happened (defaults to the time of receipt).</param>
/// <param name="Properties">Free-form event properties (a JSON object).</param>
public sealed record IncomingEvent(string EventId, string Type, string CustomerId, DateTimeOffset OccurredAt, JsonElement? Properties);
