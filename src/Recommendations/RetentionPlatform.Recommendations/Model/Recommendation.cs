namespace RetentionPlatform.Recommendations.Model;

/// <summary>
/// One recommended item with its reason and the evidence behind it (<paramref name="Score"/>: similarity for bought or
/// viewed together, recent weighted activity for popular ones); a list's order is the recommendation order.
/// </summary>
public sealed record Recommendation(CatalogItem Item, double Score, RecommendationReason Reason);
