namespace RetentionPlatform.Profiles;

/// <summary>Who the customer is: contact addresses and the ids other systems know them by.</summary>
[GenerateSerializer]
[Alias("retention.profiles.CustomerIdentity.v1")]
public sealed class CustomerIdentity
{
    [Id(0)] public string? Email { get; set; }

    [Id(1)] public string? Phone { get; set; }

    [Id(2)] public string? FirstName { get; set; }

    [Id(3)] public string? LastName { get; set; }

    /// <summary>Ids in other systems by system name (for example <c>pos</c> -> <c>C-1043</c>).</summary>
    [Id(4)] public Dictionary<string, string> ExternalIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Aliases that resolve to this customer (<c>email:ann@example.com</c>, <c>phone:+4930...</c>, <c>id:old-id</c>).</summary>
    [Id(5)] public List<string> Aliases { get; set; } = [];
}
