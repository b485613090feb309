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
        switch (envelope.EventType)
        {
            case "customer_erased":
                return Nothing with { IsErasure = true };
            case "product_viewed":
                using (var properties = Properties(envelope.Payload))
                {
                    if (properties is null || Text(properties.RootElement, "itemId") is not { } itemId || CatalogItemInput.ValidateItemId(itemId) is not null)
                    {
                        return Nothing;
                    }

                    var root = properties.RootElement;
                    var name = Text(root, "name") is { } n && CatalogItemInput.ValidateName(n) is null ? n : null;
                    var category = Text(root, "category") is { } c && CatalogItemInput.ValidateCategory(c) is null ? c : null;
                    decimal? price = root.TryGetProperty("price", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetDecimal(out var value)
                        && CatalogItemInput.ValidatePrice(value) is null ? Math.Round(value, 4) : null;
                    bool? available = root.TryGetProperty("available", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : null;
                    return new CustomerEventSignal(InteractionKind.View, [itemId], new ItemAttributes(itemId, name, category, price, available), false, false);
                }

            case "cart_updated" or "checkout_started":
                return new CustomerEventSignal(InteractionKind.Cart, ReadItemIds(envelope.Payload), null, IsCart: true, false);
            case "order_placed":
                return new CustomerEventSignal(InteractionKind.Purchase, ReadItemIds(envelope.Payload), null, false, false);
            default:
                return Nothing;
        }
    }

    private static string[] ReadItemIds(ReadOnlyMemory<byte> payload)
    {
        using var properties = Properties(payload);
        if (properties is null || !properties.RootElement.TryGetProperty("itemIds", out var ids) || ids.ValueKind != JsonValueKind.Array)
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

    /// <summary>The payload's <c>properties</c> object, or null when absent or unreadable.</summary>
    private static JsonDocument? Properties(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("properties", out var properties)
                && properties.ValueKind == JsonValueKind.Object)
            {
                var inner = JsonDocument.Parse(properties.GetRawText());
                document.Dispose();
                return inner;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
