using System.Net.Http.Headers;
using System.Text.Json;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// Delivers SMS or push messages through the tenant's provider endpoint: a JSON POST
/// <c>{"messageId","to","title","body","customerId"}</c> with <c>Authorization: Bearer {secret}</c> and the message id
/// as <c>Idempotency-Key</c>. One instance per channel.
/// </summary>
public sealed class HttpProviderChannel : IMessageChannel
{
    /// <summary>The named <see cref="HttpClient"/> providers are called with.</summary>
    public const string HttpClientName = "notifications-provider";

    private readonly HttpEndpointPoster _poster;
    private readonly string _what;

    /// <summary>A provider channel for <see cref="NotificationChannel.Sms"/> or <see cref="NotificationChannel.Push"/>.</summary>
    public HttpProviderChannel(NotificationChannel channel, IHttpClientFactory httpClientFactory, ILogger<HttpProviderChannel> logger)
    {
        _what = channel switch
        {
            NotificationChannel.Sms => "SMS provider",
            NotificationChannel.Push => "push provider",
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "A provider delivers SMS or push messages."),
        };
        Channel = channel;
        _poster = new HttpEndpointPoster(httpClientFactory, HttpClientName, logger);
    }

    public NotificationChannel Channel { get; }

    public Task<DeliveryResult> SendAsync(OutgoingMessage message, ChannelSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = Channel == NotificationChannel.Sms ? settings.Sms : settings.Push;
        if (endpoint is null)
        {
            return Task.FromResult(DeliveryResult.Permanent($"The {_what} is not configured for this tenant."));
        }

        var payload = new ProviderPayload(message.MessageId, message.Address, message.Subject, message.Text, message.CustomerId);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, ChannelJsonContext.Default.ProviderPayload);
        var authorization = new AuthenticationHeaderValue("Bearer", endpoint.Secret);
        return _poster.PostAsync(_what, message, endpoint.Url, body, headers => headers.Authorization = authorization, cancellationToken);
    }
}
