using System.Text.Json;
using System.Text.Json.Serialization;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>The body POSTed to a tenant's webhook (camelCase JSON).</summary>
internal sealed record WebhookPayload(
    Guid MessageId,
    string TenantId,
    string CustomerId,
    string Channel,
    string Purpose,
    string TemplateId,
    string Locale,
    string Address,
    string Subject,
    string Text,
    string? Html,
    WebhookLinks Links,
    DateTimeOffset SentAt);

/// <summary>The signed links a webhook receiver may show the customer.</summary>
internal sealed record WebhookLinks(Uri Human, Uri Unsubscribe);

/// <summary>The body POSTed to an SMS or push provider (camelCase JSON).</summary>
internal sealed record ProviderPayload(Guid MessageId, string To, string Title, string Body, string CustomerId);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(ProviderPayload))]
internal sealed partial class ChannelJsonContext : JsonSerializerContext;
