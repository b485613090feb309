namespace RetentionPlatform.Recommendations.Model;

/// <summary>Checks a query's limit and filters (REST and gRPC alike), recording each problem under its field name.</summary>
public static class RecommendationQueryInput
{
    public const int DefaultLimit = 10;

    /// <summary>The query, or null with <paramref name="errors"/> filled; a limit of 0 or none means <see cref="DefaultLimit"/>.</summary>
    public static RecommendationQuery? Create(int? limit, string? category, decimal? minPrice, decimal? maxPrice, IDictionary<string, string[]> errors, Func<string, string> fieldName)
    {
        var before = errors.Count;
        if (limit is < 0 or > RecommendationQuery.MaxLimit)
        {
            errors[fieldName("limit")] = [$"The limit must be between 1 and {RecommendationQuery.MaxLimit}."];
        }

        if (category is not null && CatalogItemInput.ValidateCategory(category) is { } categoryProblem)
        {
            errors[fieldName("category")] = [categoryProblem];
        }

        if (CatalogItemInput.ValidateRange(minPrice, maxPrice) is { } rangeProblem)
        {
            errors[fieldName(minPrice > maxPrice || CatalogItemInput.ValidatePrice(minPrice) is not null ? "minPrice" : "maxPrice")] = [rangeProblem];
        }

        return errors.Count > before ? null : new RecommendationQuery(limit is null or 0 ? DefaultLimit : limit.Value, category, minPrice, maxPrice);
    }
}
