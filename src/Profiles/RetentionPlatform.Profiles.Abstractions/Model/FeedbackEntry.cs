namespace RetentionPlatform.Profiles;

/// <summary>One feedback score, normalised to 0-1 so scales (1-5 stars, 0-10 NPS) compare.</summary>
[GenerateSerializer]
[Alias("retention.profiles.FeedbackEntry.v1")]
public sealed record FeedbackEntry([property: Id(0)] DateTimeOffset At, [property: Id(1)] double Score, [property: Id(2)] string? Text);
