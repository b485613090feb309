namespace RetentionPlatform.Profiles;

/// <summary>One tenant's profile settings: its contact policy and segment definitions, with a version that grows on every change.</summary>
[GenerateSerializer]
[Alias("retention.profiles.TenantConfiguration.v1")]
public sealed record TenantConfiguration(
    [property: Id(0)] long Version,
    [property: Id(1)] ContactPolicy Policy,
    [property: Id(2)] IReadOnlyList<SegmentDefinition> Segments)
{
    public static TenantConfiguration Default { get; } = new(0, new ContactPolicy(), []);
}
