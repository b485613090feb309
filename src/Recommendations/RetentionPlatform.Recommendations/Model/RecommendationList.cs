namespace RetentionPlatform.Recommendations.Model;

/// <summary>Recommended items, best first. <paramref name="ColdStart"/>: drawn from popularity only.</summary>
public sealed record RecommendationList(IReadOnlyList<Recommendation> Items, bool ColdStart);
