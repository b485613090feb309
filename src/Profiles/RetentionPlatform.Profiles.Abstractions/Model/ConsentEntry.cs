namespace RetentionPlatform.Profiles;

/// <summary>The latest consent statement for one channel and purpose.</summary>
/// <param name="Granted">Given (true) or withdrawn (false).</param>
/// <param name="Source">Where it came from: <c>checkout</c>, <c>unsubscribe-link</c>, <c>api</c>...</param>
/// <param name="At">When the customer said it; an older statement never overrides a newer one.</param>
[GenerateSerializer]
[Alias("retention.profiles.ConsentEntry.v1")]
public sealed record ConsentEntry([property: Id(0)] bool Granted, [property: Id(1)] string Source, [property: Id(2)] DateTimeOffset At);
