using System.Text.Json;

namespace RetentionPlatform.Profiles.Benchmarks;

/// <summary>A realistic mix of customer events: browsing, carts, orders, consent.</summary>
internal static class BenchmarkEvents
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-60);

    public static CustomerEventData For(string customer, int index)
    {
        var at = Start.AddHours(index * 3);
        var id = $"{customer}-{index}";
        return (index % 10) switch
        {
            0 => new(id, "identify", at, JsonSerializer.Serialize(new { email = $"{customer}@example.com", firstName = "Sam", timeZone = "Europe/Berlin" })),
            1 => new(id, "consent_given", at, """{"channel":"email","purpose":"marketing","source":"checkout"}"""),
            4 => new(id, "cart_updated", at, """{"items":2,"value":39.9}"""),
            5 => new(id, "order_placed", at, JsonSerializer.Serialize(new { orderId = id, total = 39.9, currency = "EUR" })),
            7 => new(id, "product_viewed", at, """{"productId":"sku-17"}"""),
            _ => new(id, "page_viewed", at, """{"path":"/shop"}"""),
        };
    }
}
