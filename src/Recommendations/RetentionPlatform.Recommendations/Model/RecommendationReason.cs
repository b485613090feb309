namespace RetentionPlatform.Recommendations.Model;

/// <summary>Why an item was recommended, as a kind, a sentence for the customer, and what it refers to.</summary>
public sealed record RecommendationReason(ReasonKind Kind, string Text, string? RelatedItemId = null, string? Category = null);
