using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Recommendations.Apis;

/// <summary>
/// REST reads of recommendations (reached through the gateway under <c>/v1/recommendations</c>), answered from the
/// tenant's in-memory model. Every list takes <c>limit</c> (1-100, default 10), <c>category</c>, <c>minPrice</c>
/// and <c>maxPrice</c>.
/// </summary>
public static class RecommendationsApi
{
    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/recommendations").RequireTenant().WithTags("Recommendations");
        group.MapGet("/customers/{customerId}", ForCustomer).WithName("RecommendForCustomer");
        group.MapGet("/items/{itemId}/similar", SimilarItems).WithName("SimilarItems");
        group.MapGet("/popular", Popular).WithName("PopularItems");
        return routes;
    }

    /// <summary>GET /v1/recommendations/customers/{customerId}: items for one customer, each with its reason.</summary>
    private static Results<Ok<RecommendationList>, ValidationProblem> ForCustomer(string customerId, HttpContext context, Recommender recommender, TimeProvider time)
    {
        customerId = PathSegment.Decode(customerId);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (CustomerId.Validate(customerId) is { } problem)
        {
            errors["customerId"] = [problem];
        }

        var query = ReadQuery(context.Request.Query, errors);
        if (query is null || errors.Count > 0)
        {
            return Invalid(errors);
        }

        var model = recommender.Find(context.GetTenantId());
        return TypedResults.Ok(model?.RecommendForCustomer(customerId, query, time.GetUtcNow()) ?? new RecommendationList([], ColdStart: true));
    }

    /// <summary>GET /v1/recommendations/items/{itemId}/similar: items bought or viewed together with one item.</summary>
    private static Results<Ok<RecommendationList>, ValidationProblem, ProblemHttpResult> SimilarItems(string itemId, HttpContext context, Recommender recommender, TimeProvider time)
    {
        itemId = PathSegment.Decode(itemId);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (CatalogItemInput.ValidateItemId(itemId) is { } problem)
        {
            errors["itemId"] = [problem];
        }

        var query = ReadQuery(context.Request.Query, errors);
        if (query is null || errors.Count > 0)
        {
            return Invalid(errors);
        }

        var list = recommender.Find(context.GetTenantId())?.SimilarItems(itemId, query, time.GetUtcNow());
        return list is null ? CatalogApi.ItemNotFound(itemId) : TypedResults.Ok(list);
    }

    /// <summary>GET /v1/recommendations/popular: the tenant's most popular items by recent activity.</summary>
    private static Results<Ok<RecommendationList>, ValidationProblem> Popular(HttpContext context, Recommender recommender, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = ReadQuery(context.Request.Query, errors);
        if (query is null)
        {
            return Invalid(errors);
        }

        return TypedResults.Ok(recommender.Find(context.GetTenantId())?.Popular(query, time.GetUtcNow()) ?? new RecommendationList([], ColdStart: false));
    }

    private static RecommendationQuery? ReadQuery(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var limit = Number<int>(query, "limit", errors, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null, "a whole number");
        var min = Number(query, "minPrice", errors, Price, "a number");
        var max = Number(query, "maxPrice", errors, Price, "a number");
        var category = query.TryGetValue("category", out var values) ? values.ToString() : null;
        if (errors.Count > 0)
        {
            return null;
        }

        // A REST caller who writes limit=0 asked for nothing, which is a mistake; gRPC's 0 is an unset field.
        return RecommendationQueryInput.Create(limit == 0 ? -1 : limit, category, min, max, errors, name => name);
    }

    private static decimal? Price(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static T? Number<T>(IQueryCollection query, string name, Dictionary<string, string[]> errors, Func<string, T?> parse, string what) where T : struct
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count == 1 && parse(values.ToString()) is { } value)
        {
            return value;
        }

        errors[name] = [$"The '{name}' parameter must be {what}, given once."];
        return null;
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid");
}
