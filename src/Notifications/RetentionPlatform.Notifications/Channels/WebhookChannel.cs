using System.Text.Json;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// Delivers messages to the tenant's webhook: a signed JSON POST (see <see cref="WebhookSignature"/>) with the
/// message id as <c>Idempotency-Key</c>.
/// </summary>
/// <remarks>
/// The body: <c>{"messageId","tenantId","customerId","channel","purpose","templateId","locale","address","subject",
/// "text","html","links":{"human","unsubscribe"},"sentAt"}</c>.
/// </remarks>
public sealed class WebhookChannel(IHttpClientFactory httpClientFactory, TimeProvider timeProvider, ILogger<WebhookChannel> logger) : IMessageChannel
{
    /// <summary>The named <see cref="HttpClient"/> webhooks are posted with.</summary>
    public const string HttpClientName = "notifications-webhook";

    private readonly HttpEndpointPoster _poster = new(httpClientFactory, HttpClientName, logger);

    public NotificationChannel Channel => NotificationChannel.Webhook;

    public Task<DeliveryResult> SendAsync(OutgoingMessage message, ChannelSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Webhook is not { } webhook)
        {
            return Task.FromResult(DeliveryResult.Permanent("The webhook is not configured for this tenant."));
        }

        var now = timeProvider.GetUtcNow();
        var payload = new WebhookPayload(
            message.MessageId,
            message.TenantId,
            message.CustomerId,
            JsonNamingPolicy.CamelCase.ConvertName(message.Channel.ToString()),
            JsonNamingPolicy.CamelCase.ConvertName(message.Purpose.ToString()),
            message.TemplateId,
            message.Locale,
            message.Address,
            message.Subject,
            message.Text,
            message.Html,
            new WebhookLinks(message.HumanUrl, message.UnsubscribeUrl),
            now);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, ChannelJsonContext.Default.WebhookPayload);
        var signature = WebhookSignature.Sign(webhook.Secret, now, body);
        return _poster.PostAsync("webhook", message, webhook.Url, body, headers => headers.Add(WebhookSignature.HeaderName, signature), cancellationToken);
    }
}
