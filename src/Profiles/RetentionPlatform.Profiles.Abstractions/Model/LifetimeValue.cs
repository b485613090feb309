namespace RetentionPlatform.Profiles;

/// <summary>Customer lifetime value: what was spent, and what the next twelve months should bring at the current rhythm and risk.</summary>
[GenerateSerializer]
[Alias("retention.profiles.LifetimeValue.v1")]
public sealed record LifetimeValue([property: Id(0)] decimal Historical = 0, [property: Id(1)] decimal PredictedNext12Months = 0)
{
    public decimal Total => Historical + PredictedNext12Months;
}
