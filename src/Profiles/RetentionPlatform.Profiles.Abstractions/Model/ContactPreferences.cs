namespace RetentionPlatform.Profiles;

/// <summary>How the customer wants to be contacted.</summary>
[GenerateSerializer]
[Alias("retention.profiles.ContactPreferences.v1")]
public sealed class ContactPreferences
{
    /// <summary>Own quiet hours start, minutes after local midnight (null: the tenant's).</summary>
    [Id(0)] public int? QuietHoursStartMinute { get; set; }

    /// <summary>Own quiet hours end, minutes after local midnight (null: the tenant's).</summary>
    [Id(1)] public int? QuietHoursEndMinute { get; set; }

    [Id(2)] public ContactChannel? PreferredChannel { get; set; }

    /// <summary>No service or marketing messages before this moment.</summary>
    [Id(3)] public DateTimeOffset? PausedUntil { get; set; }
}
