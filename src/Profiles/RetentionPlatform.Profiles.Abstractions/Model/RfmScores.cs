namespace RetentionPlatform.Profiles;

/// <summary>Recency, frequency and monetary scores, 1 (low) to 5 (high); 0 before the first order.</summary>
[GenerateSerializer]
[Alias("retention.profiles.RfmScores.v1")]
public sealed record RfmScores([property: Id(0)] int Recency = 0, [property: Id(1)] int Frequency = 0, [property: Id(2)] int Monetary = 0);
