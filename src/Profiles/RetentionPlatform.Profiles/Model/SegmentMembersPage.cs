namespace RetentionPlatform.Profiles.Model;

/// <summary>One page of a segment's members, ordered by customer id.</summary>
/// <param name="SegmentId">The segment.</param>
/// <param name="Members">At most the requested number of members.</param>
/// <param name="Next">The <c>after</c> value of the next page; null on the last page.</param>
internal sealed record SegmentMembersPage(string SegmentId, IReadOnlyList<SegmentMember> Members, string? Next);
