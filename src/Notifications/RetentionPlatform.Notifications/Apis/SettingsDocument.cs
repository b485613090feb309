using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>
/// A tenant's channel settings as PUT takes them and GET returns them. Secrets (<c>email.password</c> and each endpoint's <c>secret</c>: the webhook signing secret, the providers' bearer tokens) are
/// write-only: GET answers whether one is set, and a PUT without one keeps the stored secret.
/// </summary>
internal sealed record SettingsDocument(
    string? BusinessName,
    string? DefaultLocale,
    bool? OpenTracking,
    Uri? BookingPageUrl,
    EmailSettingsDocument? Email,
    EndpointDocument? Webhook,
    EndpointDocument? Sms,
    EndpointDocument? Push)
{
    public static SettingsDocument From(ChannelSettings s) => new(
        s.BusinessName, s.DefaultLocale, s.OpenTracking, s.BookingPageUrl,
        s.Email is { } e ? new EmailSettingsDocument(e.Host, e.Port, e.Security, e.UserName, null, e.FromAddress, e.FromName, e.ReplyTo, !string.IsNullOrEmpty(e.Password)) : null,
        Endpoint(s.Webhook), Endpoint(s.Sms), Endpoint(s.Push));

    private static EndpointDocument? Endpoint(HttpEndpointSettings? e) => e is null ? null : new EndpointDocument(e.Url, null, !string.IsNullOrEmpty(e.Secret));
}
