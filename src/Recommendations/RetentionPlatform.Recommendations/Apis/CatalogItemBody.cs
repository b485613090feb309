using System.Text.Json;
using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Apis;

/// <summary>
/// Reads a catalog item from JSON: <c>{"itemId", "name", "category", "price", "available", "hidden"}</c>. Left out:
/// no name, category "uncategorised", no price, available, not hidden. Unknown fields are refused (a typo such as
/// "categry" would otherwise silently do nothing).
/// </summary>
internal static class CatalogItemBody
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "itemId", "name", "category", "price", "available", "hidden" };

    /// <summary>The item, or null with every problem recorded under <c>{prefix}{field}</c>.</summary>
    public static CatalogItem? Read(JsonElement body, string? pathItemId, string prefix, Dictionary<string, string[]> errors, DateTimeOffset now)
    {
        var before = errors.Count;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors[prefix.Length == 0 ? "$" : prefix.TrimEnd('.')] = ["An item is a JSON object."];
            return null;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                errors[prefix + property.Name] = [$"Unknown field; an item has {string.Join(", ", Known)}."];
            }
        }

        var itemId = Text(body, "itemId", prefix, errors);
        if (pathItemId is not null)
        {
            if (itemId is not null && itemId != pathItemId)
            {
                errors[prefix + "itemId"] = [$"The body's itemId '{itemId}' differs from the path's '{pathItemId}'; leave it out or make them equal."];
            }

            itemId = pathItemId;
        }

        Check(errors, prefix + "itemId", CatalogItemInput.ValidateItemId(itemId));
        var name = Text(body, "name", prefix, errors);
        Check(errors, prefix + "name", CatalogItemInput.ValidateName(name));
        var category = Text(body, "category", prefix, errors);
        Check(errors, prefix + "category", category is null ? null : CatalogItemInput.ValidateCategory(category));
        decimal? price = null;
        if (body.TryGetProperty("price", out var priceValue) && priceValue.ValueKind != JsonValueKind.Null)
        {
            if (priceValue.ValueKind == JsonValueKind.Number && priceValue.TryGetDecimal(out var number))
            {
                price = Math.Round(number, 4);
                Check(errors, prefix + "price", CatalogItemInput.ValidatePrice(price));
            }
            else
            {
                errors[prefix + "price"] = ["The price must be a number (or null)."];
            }
        }

        var available = Flag(body, "available", prefix, errors) ?? true;
        var hidden = Flag(body, "hidden", prefix, errors) ?? false;
        return errors.Count > before ? null : new CatalogItem(itemId!, name, category ?? CatalogItem.Uncategorised, price, available, hidden, now);
    }

    private static string? Text(JsonElement body, string name, string prefix, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors[prefix + name] = [$"The '{name}' field must be a string."];
        return null;
    }

    private static bool? Flag(JsonElement body, string name, string prefix, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors[prefix + name] = [$"The '{name}' field must be true or false."];
        return null;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? problem)
    {
        if (problem is not null && !errors.ContainsKey(field))
        {
            errors[field] = [problem];
        }
    }
}
