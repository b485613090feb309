namespace RetentionPlatform.Profiles;

/// <summary>
/// One condition of a segment: <paramref name="Field"/> compared with <paramref name="Value"/>.
/// Fields and operators are listed in <c>SegmentFields</c> (Profiles.Grains); for time fields,
/// <c>olderThan</c> and <c>within</c> take an ISO 8601 duration such as <c>P60D</c> or <c>PT2H</c>.
/// </summary>
/// <param name="Field">For example <c>orders</c>, <c>lastOrderAt</c>, <c>trait.tier</c>, <c>consent.email.marketing</c>.</param>
/// <param name="Operator">eq, neq, gt, gte, lt, lte, exists, notExists, olderThan, within.</param>
/// <param name="Value">The comparison value as text (a number, true/false, a word, or a duration); null for exists/notExists.</param>
[GenerateSerializer]
[Alias("retention.profiles.SegmentCondition.v1")]
public sealed record SegmentCondition(
    [property: Id(0)] string Field,
    [property: Id(1)] string Operator,
    [property: Id(2)] string? Value);
