namespace RetentionPlatform.Profiles.Model;

/// <summary>A requested identify: who the customer is. Null means "not given" (leave as it is).</summary>
internal sealed record IdentityChange(
    string? Email,
    string? Phone,
    string? FirstName,
    string? LastName,
    IReadOnlyDictionary<string, string>? ExternalIds,
    string? TimeZone,
    string? Locale);
