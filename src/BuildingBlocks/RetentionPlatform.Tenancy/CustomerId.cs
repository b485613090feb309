namespace RetentionPlatform.Tenancy;

/// <summary>A partner's own customer id: 1-128 characters, no control characters.</summary>
public static class CustomerId
{
    public const int MaxLength = 128;

    /// <summary>Returns null when valid, else a sentence saying what is wrong.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "The customer id is required.";
        }

        if (value.Length > MaxLength)
        {
            return $"The customer id must be at most {MaxLength} characters.";
        }

        return value.Any(char.IsControl) ? "The customer id must not contain control characters." : null;
    }
}
