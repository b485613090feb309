using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Infrastructure;

/// <summary>Catalog changes from the API (REST and gRPC): saved in PostgreSQL first, then applied to the tenant's model.</summary>
public sealed class CatalogWriter(Recommender recommender, RecommendationStore store, TimeProvider time)
{
    /// <summary>Saves valid items with unique ids; returns, per item id, true when it was created and false when replaced.</summary>
    public async Task<Dictionary<string, bool>> UpsertAsync(string tenantId, IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (items.Count == 0)
        {
            return results;
        }

        var createdAt = await store.UpsertItemsAsync(tenantId, items, time.GetUtcNow(), cancellationToken);
        var model = recommender.For(tenantId);
        foreach (var item in items)
        {
            results[item.ItemId] = model.UpsertItem(item with { CreatedAt = createdAt.GetValueOrDefault(item.ItemId, item.CreatedAt) });
        }

        return results;
    }

    /// <summary>Removes an item for good; false when the tenant has no such item.</summary>
    public async Task<bool> RemoveAsync(string tenantId, string itemId, CancellationToken cancellationToken)
    {
        if (!await store.RemoveItemAsync(tenantId, itemId, time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        recommender.For(tenantId).RemoveItem(itemId);
        return true;
    }

    /// <summary>The moment a new item is created, for items built from requests.</summary>
    public DateTimeOffset Now => time.GetUtcNow();
}
