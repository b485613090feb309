namespace RetentionPlatform.Profiles;

/// <summary>One customer event as the grain applies it.</summary>
/// <param name="EventId">Idempotency key from the partner (or assigned at ingestion).</param>
/// <param name="EventType">Catalog name, for example <c>order_placed</c>.</param>
/// <param name="OccurredAt">When it happened at the source; may be older than events already applied.</param>
/// <param name="Properties">The event's <c>properties</c> object as JSON, or null.</param>
[GenerateSerializer]
[Alias("retention.profiles.CustomerEventData.v1")]
public sealed record CustomerEventData(
    [property: Id(0)] string EventId,
    [property: Id(1)] string EventType,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string? Properties = null);
