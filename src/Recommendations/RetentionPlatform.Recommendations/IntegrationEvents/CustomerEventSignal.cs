using System.Text.Json;
using RetentionPlatform.EventBus;
using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.IntegrationEvents;

/// <summary>
/// What one customer event means for recommendations. The properties the model reads (the event catalog leaves
/// properties free; these are the names partners send for products):
/// <list type="bullet">
/// <item><c>product_viewed</c>: <c>itemId</c>, and optionally the item's <c>name</c>, <c>category</c>, <c>price</c> and
/// <c>available</c>, which keep the catalog up to date without a separate call.</item>
/// <item><c>cart_updated</c>, <c>checkout_started</c>: <c>itemIds</c>, the whole cart.</item>
/// <item><c>order_placed</c>: <c>itemIds</c>, the items bought.</item>
/// <item><c>customer_erased</c>: forget the customer.</item>
/// </list>
/// An id that breaks the catalog's rules is ignored, as is everything else: an event is never refused for what
/// recommendations cannot use.
/// </summary>
public sealed record CustomerEventSignal(InteractionKind? Kind, string[] ItemIds, ItemAttributes? Attributes, bool IsCart, bool IsErasure)
{
    public const int MaxItemsPerEvent = 200;

    private static readonly CustomerEventSignal Nothing = new(null, [], null, false, false);

    public static CustomerEventSignal Read(EventEnvelope envelope)
    {
        var kind = envelope.EventType switch
        {
            "product_viewed" => InteractionKind.View,
            "cart_updated" or "checkout_started" => InteractionKind.Cart,
            "order_placed" => InteractionKind.Purchase,
            _ => (InteractionKind?)null,
        };
        if (kind is null)
        {
            return envelope.EventType == "customer_erased" ? Nothing with { IsErasure = true } : Nothing;
        }

        try
        {
            using var document = JsonDocument.Parse(envelope.Payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("properties", out var properties)
                || properties.ValueKind != JsonValueKind.Object)
            {
                return Nothing;
            }

            return kind == InteractionKind.View ? ReadView(properties) : new CustomerEventSignal(kind, ReadItemIds(properties), null, IsCart: kind == InteractionKind.Cart, false);
        }
        catch (JsonException)
        {
            return Nothing;
        }
    }

    private static CustomerEventSignal ReadView(JsonElement properties)
    {
        if (Text(properties, "itemId") is not { } itemId || CatalogItemInput.ValidateItemId(itemId) is not null)
        {
            return Nothing;
        }

        var name = Text(properties, "name") is { } n && CatalogItemInput.ValidateName(n) is null ? n : null;
        var category = Text(properties, "category") is { } c && CatalogItemInput.ValidateCategory(c) is null ? c : null;
        decimal? price = properties.TryGetProperty("price", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetDecimal(out var value)
            && CatalogItemInput.ValidatePrice(value) is null ? Math.Round(value, 4) : null;
        bool? available = properties.TryGetProperty("available", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : null;
        return new CustomerEventSignal(InteractionKind.View, [itemId], new ItemAttributes(itemId, name, category, price, available), false, false);
    }

    private static string[] ReadItemIds(JsonElement properties)
    {
        if (!properties.TryGetProperty("itemIds", out var ids) || ids.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. ids.EnumerateArray()
            .Select(id => id.ValueKind == JsonValueKind.String ? id.GetString() : null)
            .Where(id => CatalogItemInput.ValidateItemId(id) is null)
            .Select(id => id!)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxItemsPerEvent)];
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
