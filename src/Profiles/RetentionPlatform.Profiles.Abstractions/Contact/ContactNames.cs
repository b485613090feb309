namespace RetentionPlatform.Profiles;

/// <summary>The lower-case names channels and purposes have in events, keys and the API.</summary>
public static class ContactNames
{
    public static string Of(ContactChannel channel) => channel switch
    {
        ContactChannel.Email => "email",
        ContactChannel.Sms => "sms",
        ContactChannel.Push => "push",
        ContactChannel.Webhook => "webhook",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    public static string Of(ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Transactional => "transactional",
        ContactPurpose.Service => "service",
        ContactPurpose.Marketing => "marketing",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    /// <summary>The consent ledger key, for example <c>email:marketing</c>.</summary>
    public static string ConsentKey(ContactChannel channel, ContactPurpose purpose) => $"{Of(channel)}:{Of(purpose)}";

    public static bool TryParseChannel(string? text, out ContactChannel channel) => TryParse(text, Of, out channel);

    public static bool TryParsePurpose(string? text, out ContactPurpose purpose) => TryParse(text, Of, out purpose);

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
