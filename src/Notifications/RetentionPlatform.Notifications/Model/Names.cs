namespace RetentionPlatform.Notifications.Model;

/// <summary>The lower-case names channels, purposes and statuses have in JSON, SQL and events.</summary>
public static class Names
{
    public static string Of(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Email => "email",
        NotificationChannel.Sms => "sms",
        NotificationChannel.Push => "push",
        _ => "webhook",
    };

    public static string Of(NotificationPurpose purpose) => purpose switch
    {
        NotificationPurpose.Transactional => "transactional",
        NotificationPurpose.Service => "service",
        _ => "marketing",
    };

    public static string Of(MessageStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParseChannel(string? text, out NotificationChannel channel) => TryParse(text, Of, out channel);

    public static bool TryParsePurpose(string? text, out NotificationPurpose purpose) => TryParse(text, Of, out purpose);

    public static MessageStatus ParseStatus(string text) => Enum.Parse<MessageStatus>(text, ignoreCase: true);

    private static bool TryParse<T>(string? text, Func<T, string> nameOf, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(nameOf(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
