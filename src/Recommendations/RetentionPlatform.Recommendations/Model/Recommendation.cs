namespace RetentionPlatform.Recommendations.Model;

/// <summary>One recommended item with its relative score (within one list) and its reason.</summary>
public sealed record Recommendation(CatalogItem Item, double Score, RecommendationReason Reason);
