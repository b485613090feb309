using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RetentionPlatform.Recommendations.Infrastructure;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Recommendations.Apis;

/// <summary>
/// REST routes over the tenant's catalog (<c>/v1/recommendations/catalog/items</c>): what may be recommended.
/// Changes are saved in PostgreSQL, then applied to the model at once.
/// </summary>
public static class CatalogApi
{
    public const long MaxItemBytes = 64 * 1024;
    public const long MaxBatchBytes = 1024 * 1024;
    public const int MaxBatchItems = 1000;

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/recommendations/catalog/items").RequireTenant().WithTags("Catalog");
        group.MapPut("/{itemId}", PutItemAsync).WithName("PutCatalogItem").WithMetadata(new RequestSizeLimitAttribute(MaxItemBytes));
        group.MapGet("/{itemId}", GetItem).WithName("GetCatalogItem");
        group.MapDelete("/{itemId}", DeleteItemAsync).WithName("DeleteCatalogItem");
        group.MapPost("/batch", PostBatchAsync).WithName("PutCatalogItems").WithMetadata(new RequestSizeLimitAttribute(MaxBatchBytes));
        return routes;
    }

    internal static ProblemHttpResult ItemNotFound(string itemId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Item not found", detail: $"The catalog has no item '{itemId}'.");

    /// <summary>PUT /v1/recommendations/catalog/items/{itemId}: creates (201) or replaces (200) an item.</summary>
    private static async Task<Results<Created<CatalogItem>, Ok<CatalogItem>, ValidationProblem, ProblemHttpResult>> PutItemAsync(
        string itemId, HttpContext context, CatalogWriter catalog, Recommender recommender)
    {
        itemId = PathSegment.Decode(itemId);
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "item", MaxItemBytes);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var item = CatalogItemBody.Read(document!.RootElement, itemId, "", errors, catalog.Now);
            if (item is null)
            {
                return TypedResults.ValidationProblem(errors, title: "The item is invalid");
            }

            var tenantId = context.GetTenantId();
            var created = (await catalog.UpsertAsync(tenantId, [item], context.RequestAborted))[item.ItemId];
            var saved = recommender.For(tenantId).GetItem(item.ItemId) ?? item;
            return created
                ? TypedResults.Created($"/v1/recommendations/catalog/items/{Uri.EscapeDataString(item.ItemId)}", saved)
                : TypedResults.Ok(saved);
        }
    }

    /// <summary>GET /v1/recommendations/catalog/items/{itemId}.</summary>
    private static Results<Ok<CatalogItem>, ProblemHttpResult> GetItem(string itemId, HttpContext context, Recommender recommender)
    {
        itemId = PathSegment.Decode(itemId);
        return recommender.Find(context.GetTenantId())?.GetItem(itemId) is { } item ? TypedResults.Ok(item) : ItemNotFound(itemId);
    }

    /// <summary>DELETE /v1/recommendations/catalog/items/{itemId}: never recommended again (204).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteItemAsync(string itemId, HttpContext context, CatalogWriter catalog)
    {
        itemId = PathSegment.Decode(itemId);
        if (CatalogItemInput.ValidateItemId(itemId) is not null)
        {
            return ItemNotFound(itemId);
        }

        return await catalog.RemoveAsync(context.GetTenantId(), itemId, context.RequestAborted) ? TypedResults.NoContent() : ItemNotFound(itemId);
    }

    /// <summary>
    /// POST /v1/recommendations/catalog/items/batch: <c>{"items":[...]}</c>, 1 to 1,000 items, each checked on its own;
    /// the valid ones are saved (200 with a result per item), an invalid one never stops the others.
    /// </summary>
    private static async Task<Results<Ok<CatalogBatchResult>, ValidationProblem, ProblemHttpResult>> PostBatchAsync(HttpContext context, CatalogWriter catalog)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "batch", MaxBatchBytes);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = ["Send {\"items\": [...]} with 1 to 1,000 items."] }, title: "The batch is invalid");
            }

            if (array.GetArrayLength() is 0 or > MaxBatchItems)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = [$"Send 1 to {MaxBatchItems} items; this batch has {array.GetArrayLength()}."] }, title: "The batch is invalid");
            }

            var results = new List<CatalogItemResult>();
            var valid = new List<CatalogItem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                var item = CatalogItemBody.Read(element, null, "", errors, catalog.Now);
                if (item is not null && !seen.Add(item.ItemId))
                {
                    errors["itemId"] = ["The item appears earlier in this batch."];
                    item = null;
                }

                results.Add(new CatalogItemResult(index++, item?.ItemId ?? IdOf(element), item is null ? "invalid" : "pending", item is null ? errors : null));
                if (item is not null)
                {
                    valid.Add(item);
                }
            }

            var saved = await catalog.UpsertAsync(context.GetTenantId(), valid, context.RequestAborted);
            results = [.. results.Select(r => r.Status == "pending" ? r with { Status = saved[r.ItemId!] ? "created" : "updated" } : r)];
            return TypedResults.Ok(new CatalogBatchResult(
                results.Count(r => r.Status == "created"),
                results.Count(r => r.Status == "updated"),
                results.Count(r => r.Status == "invalid"),
                results));
        }
    }

    private static string? IdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("itemId", out var id) && id.ValueKind == JsonValueKind.String
            && CatalogItemInput.ValidateItemId(id.GetString()) is null ? id.GetString() : null;
}
