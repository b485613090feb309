namespace RetentionPlatform.EventBus;

/// <summary>
/// One platform event as it travels over Kafka: identity and routing metadata (sent as headers)
/// and an opaque payload (JSON by convention). Keyed by tenant and customer, so each customer's
/// events stay ordered on one partition.
/// </summary>
/// <param name="EventId">Idempotency key: consumers apply an event id at most once.</param>
/// <param name="EventType">Catalog name, for example <c>order_placed</c>.</param>
/// <param name="TenantId">The business the event belongs to.</param>
/// <param name="CustomerId">The tenant's own customer id.</param>
/// <param name="OccurredAt">When it happened at the source (may be earlier than events already seen).</param>
/// <param name="SchemaVersion">Version of the payload schema for <paramref name="EventType"/>.</param>
/// <param name="Payload">The event body.</param>
public sealed record EventEnvelope(
    string EventId,
    string EventType,
    string TenantId,
    string CustomerId,
    DateTimeOffset OccurredAt,
    int SchemaVersion,
    ReadOnlyMemory<byte> Payload)
{
    /// <summary>The Kafka key: tenant and customer, separated by a slash (tenant ids cannot contain one).</summary>
    public string Key => KeyFor(TenantId, CustomerId);

    public static string KeyFor(string tenantId, string customerId) => $"{tenantId}/{customerId}";
}
