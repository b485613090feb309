namespace RetentionPlatform.Recommendations.Apis;

/// <summary>One item's outcome in a catalog batch: <c>created</c>, <c>updated</c> or <c>invalid</c> with field errors.</summary>
public sealed record CatalogItemResult(int Index, string? ItemId, string Status, IReadOnlyDictionary<string, string[]>? Errors = null);
