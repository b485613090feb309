namespace RetentionPlatform.Recommendations.Model;

/// <summary>How many items, and which ones may be returned (null: any).</summary>
public sealed record RecommendationQuery(int Limit = 10, string? Category = null, decimal? MinPrice = null, decimal? MaxPrice = null)
{
    public const int MaxLimit = 100;
}
