namespace RetentionPlatform.Profiles;

/// <summary>What an apply call did.</summary>
/// <param name="Applied">Events applied now.</param>
/// <param name="Duplicates">Events skipped because their id was already applied.</param>
/// <param name="Ignored">Events dropped because the customer was erased (a tombstone keeps them from resurrecting it).</param>
[GenerateSerializer]
[Alias("retention.profiles.ApplyEventsResult.v1")]
public sealed record ApplyEventsResult([property: Id(0)] int Applied, [property: Id(1)] int Duplicates, [property: Id(2)] int Ignored = 0);
