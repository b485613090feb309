namespace RetentionPlatform.Profiles;

/// <summary>A real-time segment: a customer is a member while every condition holds.</summary>
/// <param name="Id">The tenant's own id for the segment (letters, digits, '-', '_'; 1-64 characters).</param>
/// <param name="Name">What people call it, for example "Lapsed regulars".</param>
/// <param name="Conditions">All must hold (AND). At least one.</param>
[GenerateSerializer]
[Alias("retention.profiles.SegmentDefinition.v1")]
public sealed record SegmentDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<SegmentCondition> Conditions);
