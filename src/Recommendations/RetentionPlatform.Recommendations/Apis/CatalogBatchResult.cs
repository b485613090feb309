namespace RetentionPlatform.Recommendations.Apis;

/// <summary>The answer to a catalog batch: counts, and a result per item in request order.</summary>
public sealed record CatalogBatchResult(int Created, int Updated, int Invalid, IReadOnlyList<CatalogItemResult> Results);
