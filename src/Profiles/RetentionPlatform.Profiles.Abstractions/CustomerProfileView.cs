namespace RetentionPlatform.Profiles;

/// <summary>A read-only snapshot of a customer's profile.</summary>
/// <param name="CustomerId">The tenant's own customer id.</param>
/// <param name="EventCount">Distinct events applied.</param>
/// <param name="FirstSeen">Earliest occurred-at applied.</param>
/// <param name="LastSeen">Latest occurred-at applied.</param>
/// <param name="LastEventType">Type of the event with the latest occurred-at.</param>
[GenerateSerializer]
[Alias("retention.profiles.CustomerProfileView.v1")]
public sealed record CustomerProfileView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long EventCount,
    [property: Id(2)] DateTimeOffset FirstSeen,
    [property: Id(3)] DateTimeOffset LastSeen,
    [property: Id(4)] string LastEventType);
