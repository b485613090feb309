namespace RetentionPlatform.Profiles;

/// <summary>Builds alias keys: one normal form per kind, so the same address always finds the same customer.</summary>
public static class CustomerAliases
{
    public static string Email(string email) => $"email:{email.Trim().ToLowerInvariant()}";

    /// <summary>Digits and a leading plus only: "+49 (30) 1234" and "+49301234" are the same phone.</summary>
    public static string Phone(string phone) =>
        $"phone:{(phone.TrimStart().StartsWith('+') ? "+" : "")}{new string(phone.Where(char.IsAsciiDigit).ToArray())}";

    public static string Id(string customerId) => $"id:{customerId}";

    /// <summary>Normalises an alias given as <c>kind:value</c>; null when the kind is unknown or the value empty.</summary>
    public static string? Normalize(string alias)
    {
        var colon = alias.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == alias.Length - 1)
        {
            return null;
        }

        var value = alias[(colon + 1)..];
        return alias[..colon].ToLowerInvariant() switch
        {
            "email" => Email(value),
            "phone" => Phone(value) is var phone && phone.Length > "phone:".Length ? phone : null,
            "id" => Id(value),
            _ => null,
        };
    }
}
