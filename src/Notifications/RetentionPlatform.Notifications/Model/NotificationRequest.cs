using System.Text.Json;

namespace RetentionPlatform.Notifications.Model;

/// <summary>A request to message one customer, from any door (REST, gRPC, Kafka, appointment automation).</summary>
/// <param name="CustomerId">The tenant's customer id.</param>
/// <param name="TemplateId">The template to render (the tenant's own, or a built-in default).</param>
/// <param name="Channels">The channels to try, in order of preference (at least one).</param>
/// <param name="Purpose">Transactional, service or marketing.</param>
/// <param name="IdempotencyKey">The caller's key: the same key is the same message, whatever happens.</param>
/// <param name="Kind">Who asks (a journey, a campaign, "appointment-reminder"); what the contact decision records.</param>
/// <param name="Locale">The locale to render in; null for the customer's, then the tenant's default.</param>
/// <param name="Data">Values for the template (<c>data.*</c>): a JSON object, or <see cref="JsonValueKind.Undefined"/>.</param>
/// <param name="SendAt">Not before this moment; null for now.</param>
/// <param name="Source">Which door it came through: api, grpc, kafka or appointment.</param>
public sealed record NotificationRequest(
    string CustomerId,
    string TemplateId,
    IReadOnlyList<NotificationChannel> Channels,
    NotificationPurpose Purpose,
    string IdempotencyKey,
    string Kind,
    string? Locale,
    JsonElement Data,
    DateTimeOffset? SendAt,
    string Source);
