namespace RetentionPlatform.Profiles;

/// <summary>One message that reached (or was cleared to reach) the customer.</summary>
[GenerateSerializer]
[Alias("retention.profiles.ContactTouch.v1")]
public sealed record ContactTouch(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] ContactChannel Channel,
    [property: Id(2)] ContactPurpose Purpose,
    [property: Id(3)] string Kind,
    [property: Id(4)] string? MessageId);
