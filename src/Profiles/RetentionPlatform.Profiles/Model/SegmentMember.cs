namespace RetentionPlatform.Profiles.Model;

/// <summary>One customer in a segment.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="EnteredAt">When it entered the segment.</param>
internal sealed record SegmentMember(string CustomerId, DateTimeOffset EnteredAt);
