using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>Checks a settings document and turns it into <see cref="ChannelSettings"/>, recording a field error per problem.</summary>
internal static class SettingsRules
{
    private const int MaxSecret = 1024;

    public static ChannelSettings? ToSettings(SettingsDocument body, Dictionary<string, string[]> errors)
    {
        var businessName = body.BusinessName?.Trim() ?? "";
        if (businessName.Length > 100 || businessName.Any(char.IsControl))
        {
            errors["businessName"] = ["The business name is at most 100 characters, without control characters."];
        }

        var locale = body.DefaultLocale ?? "en";
        if (Notifier.LocaleProblem(locale) is { } localeProblem)
        {
            errors["defaultLocale"] = [localeProblem];
        }

        if (body.BookingPageUrl is { } page && !IsHttp(page))
        {
            errors["bookingPageUrl"] = ["The booking page is an absolute http or https URL; {appointmentId} in it is replaced."];
        }

        EmailSettings? email = null;
        if (body.Email is { } e)
        {
            if (string.IsNullOrWhiteSpace(e.Host) || e.Host.Length > 253 || e.Host.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors["email.host"] = ["The SMTP server's host name is required (at most 253 characters)."];
            }

            if (e.Port is not (>= 1 and <= 65535))
            {
                errors["email.port"] = ["The SMTP port is 1-65535 (usually 587 with starttls, or 465 with tls)."];
            }

            if (!NotificationsApi.IsEmail(e.FromAddress))
            {
                errors["email.fromAddress"] = ["The sender is an email address such as hello@example.com."];
            }

            if (e.ReplyTo is not null && !NotificationsApi.IsEmail(e.ReplyTo))
            {
                errors["email.replyTo"] = ["The reply-to is an email address."];
            }

            if (e.FromName is { Length: > 100 } || e.UserName is { Length: > 256 } || e.Password is { Length: > MaxSecret }
                || (e.FromName ?? "").Any(char.IsControl) || (e.UserName ?? "").Any(char.IsControl))
            {
                errors["email"] = ["fromName is at most 100 characters, userName at most 256, password at most 1024, without control characters."];
            }

            email = new EmailSettings(e.Host?.Trim() ?? "", e.Port ?? 0, e.Security ?? SmtpSecurity.StartTls, e.UserName, e.Password, e.FromAddress ?? "", e.FromName, e.ReplyTo);
        }

        var settings = new ChannelSettings(
            businessName,
            locale.ToLowerInvariant(),
            email,
            Endpoint(body.Webhook, "webhook", errors),
            Endpoint(body.Sms, "sms", errors),
            Endpoint(body.Push, "push", errors),
            body.OpenTracking ?? false,
            body.BookingPageUrl);
        return errors.Count == 0 ? settings : null;
    }

    private static HttpEndpointSettings? Endpoint(EndpointDocument? document, string field, Dictionary<string, string[]> errors)
    {
        if (document is null)
        {
            return null;
        }

        if (document.Url is not { } url || !IsHttp(url))
        {
            errors[$"{field}.url"] = ["The endpoint is an absolute http or https URL."];
            return null;
        }

        if (document.Secret is { } secret && (secret.Length is < 16 or > MaxSecret || secret.Any(char.IsControl)))
        {
            errors[$"{field}.secret"] = ["The secret is 16-1024 characters (use a long random value)."];
        }

        return new HttpEndpointSettings(url, document.Secret ?? "");
    }

    private static bool IsHttp(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Host.Length > 0;
}
