using System.Text.Json;

namespace RetentionPlatform.Notifications.Model;

/// <summary>
/// Everything a template may use for one customer and one message. Templates see it as
/// <c>customer.*</c>, <c>business.name</c>, <c>nextAppointment.*</c>, <c>recommendations</c>, <c>cart.*</c>,
/// <c>data.*</c> (what the request carried, for example the appointment of a reminder) and <c>links.*</c>.
/// </summary>
/// <param name="Customer">Who the message is for.</param>
/// <param name="BusinessName">The tenant's business name.</param>
/// <param name="Locale">The locale being rendered (dates and amounts are formatted in it).</param>
/// <param name="TimeZone">The customer's IANA time zone (times are shown in it).</param>
/// <param name="NextAppointmentAt">The customer's next booked appointment; null when none.</param>
/// <param name="Recommendations">Items recommended for the customer (may be empty).</param>
/// <param name="CartItemCount">Items in the customer's cart now.</param>
/// <param name="CartValue">The cart's value as exact decimal text; null when empty.</param>
/// <param name="Data">The request's own data (a JSON object; <see cref="JsonValueKind.Undefined"/> when none).</param>
/// <param name="Links">The message's signed links.</param>
public sealed record RenderContext(
    CustomerFacts Customer,
    string BusinessName,
    string Locale,
    string TimeZone,
    DateTimeOffset? NextAppointmentAt,
    IReadOnlyList<RecommendedItem> Recommendations,
    int CartItemCount,
    string? CartValue,
    JsonElement Data,
    MessageLinks Links);
