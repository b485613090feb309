namespace RetentionPlatform.Notifications.Model;

/// <summary>A tenant's channel settings. A channel without settings cannot be used (its messages fail permanently).</summary>
/// <param name="BusinessName">The name messages are signed with and templates see as <c>business.name</c>.</param>
/// <param name="DefaultLocale">The locale used when neither the request nor the profile names one (BCP 47).</param>
/// <param name="Email">SMTP settings; null when the tenant sends no email.</param>
/// <param name="Webhook">The partner's webhook; null when none.</param>
/// <param name="Sms">The SMS provider endpoint; null when none.</param>
/// <param name="Push">The push provider endpoint; null when none.</param>
/// <param name="OpenTracking">Whether email carries an open-tracking pixel (off by default).</param>
/// <param name="BookingPageUrl">The business's booking page; templates link to it for rescheduling. Null when none.</param>
public sealed record ChannelSettings(
    string BusinessName,
    string DefaultLocale,
    EmailSettings? Email,
    HttpEndpointSettings? Webhook,
    HttpEndpointSettings? Sms,
    HttpEndpointSettings? Push,
    bool OpenTracking,
    Uri? BookingPageUrl)
{
    public static ChannelSettings Empty { get; } = new("", "en", null, null, null, null, false, null);
}
