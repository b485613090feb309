using Grpc.Core;
using RetentionPlatform.Recommendations.Infrastructure;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Tenancy;
using V1 = RetentionPlatform.Contracts.Recommendations.V1;

namespace RetentionPlatform.Recommendations.Grpc;

/// <summary>
/// <c>retention.recommendations.v1.Recommendations</c>: answers come from the tenant's in-memory model (no database
/// round trip); catalog changes are saved in PostgreSQL first. The tenant comes from the gateway-signed header only.
/// </summary>
public sealed class RecommendationsGrpcService(Recommender recommender, CatalogWriter catalog, TimeProvider time) : V1.Recommendations.RecommendationsBase
{
    public const int MaxItemsPerUpsert = 1000;

    public override Task<V1.RecommendationList> RecommendForCustomer(V1.RecommendForCustomerRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (CustomerId.Validate(request.CustomerId) is { } problem)
        {
            errors["customer_id"] = [problem];
        }

        var query = Query(request.Limit, request.Filter, errors);
        var model = recommender.Find(tenantId);
        var list = model?.RecommendForCustomer(request.CustomerId, query, time.GetUtcNow()) ?? new RecommendationList([], ColdStart: true);
        return Task.FromResult(list.ToMessage());
    }

    public override Task<V1.RecommendationList> SimilarItems(V1.SimilarItemsRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (CatalogItemInput.ValidateItemId(request.ItemId) is { } problem)
        {
            errors["item_id"] = [problem];
        }

        var query = Query(request.Limit, request.Filter, errors);
        var list = recommender.Find(tenantId)?.SimilarItems(request.ItemId, query, time.GetUtcNow())
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"The catalog has no item '{request.ItemId}'."));
        return Task.FromResult(list.ToMessage());
    }

    public override Task<V1.RecommendationList> PopularItems(V1.PopularItemsRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var query = Query(request.Limit, request.Filter, new Dictionary<string, string[]>(StringComparer.Ordinal));
        var list = recommender.Find(tenantId)?.Popular(query, time.GetUtcNow()) ?? new RecommendationList([], ColdStart: false);
        return Task.FromResult(list.ToMessage());
    }

    public override async Task<V1.UpsertItemsResponse> UpsertItems(V1.UpsertItemsRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        if (request.Items.Count is 0 or > MaxItemsPerUpsert)
        {
            throw TenantGrpcExtensions.InvalidArgument("items", $"Send 1 to {MaxItemsPerUpsert} items.");
        }

        var response = new V1.UpsertItemsResponse();
        var valid = new List<CatalogItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        for (var index = 0; index < request.Items.Count; index++)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var item = request.Items[index].ToCatalogItem("", errors, now);
            if (item is not null && !seen.Add(item.ItemId))
            {
                errors["item_id"] = ["The item appears earlier in this request."];
                item = null;
            }

            var result = new V1.ItemResult { Index = index, ItemId = request.Items[index].ItemId, Status = "invalid" };
            if (item is null)
            {
                result.Errors.AddRange(errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
            }
            else
            {
                valid.Add(item);
            }

            response.Results.Add(result);
        }

        var saved = await catalog.UpsertAsync(tenantId, valid, context.CancellationToken);
        foreach (var result in response.Results)
        {
            if (result.Errors.Count == 0 && saved.TryGetValue(result.ItemId, out var created))
            {
                result.Status = created ? "created" : "updated";
            }
        }

        return response;
    }

    public override Task<V1.CatalogItem> GetItem(V1.GetItemRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        if (CatalogItemInput.ValidateItemId(request.ItemId) is { } problem)
        {
            throw TenantGrpcExtensions.InvalidArgument("item_id", problem);
        }

        var item = recommender.Find(tenantId)?.GetItem(request.ItemId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"The catalog has no item '{request.ItemId}'."));
        return Task.FromResult(item.ToMessage());
    }

    public override async Task<V1.DeleteItemResponse> DeleteItem(V1.DeleteItemRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        if (CatalogItemInput.ValidateItemId(request.ItemId) is { } problem)
        {
            throw TenantGrpcExtensions.InvalidArgument("item_id", problem);
        }

        return await catalog.RemoveAsync(tenantId, request.ItemId, context.CancellationToken)
            ? new V1.DeleteItemResponse()
            : throw new RpcException(new Status(StatusCode.NotFound, $"The catalog has no item '{request.ItemId}'."));
    }

    /// <summary>The query of a request; INVALID_ARGUMENT with every problem found (including earlier ones in <paramref name="errors"/>).</summary>
    private static RecommendationQuery Query(int limit, V1.ItemFilter? filter, Dictionary<string, string[]> errors)
    {
        var (min, max) = filter.PriceRange(errors);
        var category = string.IsNullOrEmpty(filter?.Category) ? null : filter.Category;
        var query = RecommendationQueryInput.Create(limit, category, min, max, errors, GrpcField);
        return errors.Count == 0 && query is not null ? query : throw TenantGrpcExtensions.InvalidArgument(errors);
    }

    private static string GrpcField(string name) => name switch
    {
        "limit" => "limit",
        "category" => "filter.category",
        "minPrice" => "filter.min_price",
        _ => "filter.max_price",
    };
}
