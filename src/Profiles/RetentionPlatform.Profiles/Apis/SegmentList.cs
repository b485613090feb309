namespace RetentionPlatform.Profiles.Apis;

/// <summary>A tenant's segment definitions, ordered by id.</summary>
internal sealed record SegmentList(IReadOnlyList<SegmentDefinition> Segments);
