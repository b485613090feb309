namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>What a product_viewed event says about the item itself (each value null when the event leaves it out).</summary>
public sealed record ItemDetails(string? Category, decimal? Price, string? Name);
