using System.Text;
using System.Text.Json;
using RetentionPlatform.EventBus;

namespace RetentionPlatform.Recommendations.Tests.Service;

/// <summary>Customer events as the Events service publishes them (the JSON payload carries the properties).</summary>
public static class CustomerEvents
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-1);
    private static int _sequence;

    public static EventEnvelope Bought(string tenant, string customer, params string[] itemIds) =>
        Event(tenant, customer, "order_placed", new { itemIds });

    public static EventEnvelope Viewed(string tenant, string customer, string itemId, string? category = null, decimal? price = null, string? name = null) =>
        Event(tenant, customer, "product_viewed", new { itemId, category, price, name });

    public static EventEnvelope Cart(string tenant, string customer, params string[] itemIds) =>
        Event(tenant, customer, "cart_updated", new { itemIds });

    public static EventEnvelope Erased(string tenant, string customer) => Event(tenant, customer, "customer_erased", new { });

    public static EventEnvelope Event(string tenant, string customer, string type, object properties, string? eventId = null)
    {
        var id = eventId ?? $"evt-{Guid.NewGuid():N}";
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { eventId = id, type, customerId = customer, properties });
        // Events a moment apart and in the past, in the order they were made (the service compares with its clock).
        var at = Start.AddMilliseconds(Interlocked.Increment(ref _sequence));
        return new EventEnvelope(id, type, tenant, customer, at, 1, payload);
    }

    public static string Json(object value) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(value));
}
