namespace RetentionPlatform.Profiles;

/// <summary>
/// A change of a profile that other services hear about on <c>retention.profile-events.v1</c>
/// (segment entered or exited, churn risk level changed, human requested or resolved, merged, erased).
/// Kept in the grain's state (an outbox) until delivered, so it survives a crash between write and publish.
/// </summary>
/// <param name="EventId">Stable across redeliveries, so consumers can deduplicate.</param>
/// <param name="Type">For example <c>segment_entered</c>.</param>
/// <param name="At">When it happened.</param>
/// <param name="SegmentId">For segment changes, the segment.</param>
/// <param name="Payload">The event body as JSON.</param>
[GenerateSerializer]
[Alias("retention.profiles.ProfileChange.v1")]
public sealed record ProfileChange(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? SegmentId,
    [property: Id(4)] string Payload);
