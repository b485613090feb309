using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Tests.Channels;

/// <summary>Messages and settings for the channel tests.</summary>
internal static class ChannelTestData
{
    public const string SenderAddress = "hallo@salon-sonne.example";

    public static OutgoingMessage Message(
        NotificationChannel channel = NotificationChannel.Email,
        string address = "anna@kunde.example",
        string subject = "Your appointment tomorrow",
        string? html = "<p>See you <b>tomorrow</b>.</p>",
        string text = "See you tomorrow.",
        Guid? messageId = null)
    {
        var id = messageId ?? Guid.NewGuid();
        return new OutgoingMessage(
            "tenant-sonne",
            id,
            "customer-42",
            channel,
            NotificationPurpose.Marketing,
            address,
            "Anna Schmidt",
            subject,
            html,
            text,
            new Uri($"https://links.example/h/{id:N}?sig=abc"),
            new Uri($"https://links.example/u/{id:N}?sig=def"),
            "reminder",
            "de-DE");
    }

    public static EmailSettings Smtp(int port, string? userName = null, string? password = null, string? replyTo = "team@salon-sonne.example") =>
        new("127.0.0.1", port, SmtpSecurity.None, userName, password, SenderAddress, "Salon Sonne", replyTo);

    public static ChannelSettings Settings(
        EmailSettings? email = null,
        HttpEndpointSettings? webhook = null,
        HttpEndpointSettings? sms = null,
        HttpEndpointSettings? push = null) =>
        new("Salon Sonne", "de-DE", email, webhook, sms, push, false, null);
}
