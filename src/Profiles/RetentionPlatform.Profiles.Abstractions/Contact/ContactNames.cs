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

    public static bool TryParseChannel(string? text, out ContactChannel channel)
    {
        foreach (var candidate in Enum.GetValues<ContactChannel>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                channel = candidate;
                return true;
            }
        }

        channel = default;
        return false;
    }

    public static bool TryParsePurpose(string? text, out ContactPurpose purpose)
    {
        foreach (var candidate in Enum.GetValues<ContactPurpose>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                purpose = candidate;
                return true;
            }
        }

        purpose = default;
        return false;
    }
}
