using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>Turns a <see cref="RenderContext"/> into the camelCase object graph templates see.</summary>
internal static class TemplateModel
{
    public static Dictionary<string, object?> Build(RenderContext context, RenderState state)
    {
        var customer = context.Customer;
        var links = context.Links;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["customer"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["customerId"] = customer.CustomerId,
                ["firstName"] = customer.FirstName,
                ["lastName"] = customer.LastName,
                ["name"] = FullName(customer),
                ["email"] = customer.Email,
                ["phone"] = customer.Phone,
            },
            ["business"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = context.BusinessName },
            ["locale"] = context.Locale,
            ["nextAppointment"] = context.NextAppointmentAt is { } next ? Appointment(Instant.FromDateTimeOffset(next), state) : null,
            ["recommendations"] = context.Recommendations.Select(Recommendation).ToList(),
            ["cart"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["itemCount"] = context.CartItemCount,
                ["value"] = context.CartValue,
            },
            ["data"] = context.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                ? new Dictionary<string, object?>(StringComparer.Ordinal)
                : FromJson(context.Data),
            ["links"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["human"] = links.Human.AbsoluteUri,
                ["unsubscribe"] = links.Unsubscribe.AbsoluteUri,
                ["feedback"] = links.Feedback?.AbsoluteUri,
                ["reschedule"] = links.Reschedule?.AbsoluteUri,
                ["cancel"] = links.Cancel?.AbsoluteUri,
            },
        };
    }

    /// <summary>"Ann Smith", "Ann", or empty when the profile has no name (templates choose their own greeting with <c>{{#if}}</c>).</summary>
    internal static string FullName(CustomerFacts customer) =>
        string.Join(' ', new[] { customer.FirstName, customer.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()));

    private static Dictionary<string, object?> Appointment(Instant at, RenderState state) => new(StringComparer.Ordinal)
    {
        ["at"] = state.FormatInstant(at),
        ["iso"] = OffsetDateTimePattern.Rfc3339.Format(state.InZone(at).ToOffsetDateTime()),
    };

    private static Dictionary<string, object?> Recommendation(RecommendedItem item) => new(StringComparer.Ordinal)
    {
        ["itemId"] = item.ItemId,
        ["name"] = item.Name,
        ["category"] = item.Category,
        ["price"] = item.Price,
        ["url"] = item.Url?.AbsoluteUri,
    };

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(
            new Dictionary<string, object?>(StringComparer.Ordinal),
            (map, property) =>
            {
                map[property.Name] = FromJson(property.Value);
                return map;
            }),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole
            : element.TryGetDecimal(out var exact) ? exact
            : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
