namespace RetentionPlatform.Profiles;

/// <summary>One order in the recent-order list.</summary>
[GenerateSerializer]
[Alias("retention.profiles.OrderRecord.v1")]
public sealed record OrderRecord([property: Id(0)] string OrderId, [property: Id(1)] DateTimeOffset At, [property: Id(2)] decimal Total);
