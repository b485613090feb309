using System.Diagnostics;
using Microsoft.Extensions.Options;
using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Infrastructure;

/// <summary>
/// Rebuilds every tenant's model from PostgreSQL at start, before the service listens and before events are
/// consumed: the catalog (tombstones included), the interactions of the replay window in the order they happened,
/// then the carts. Interactions older than the window are deleted first.
/// </summary>
public sealed partial class RecommendationModelLoader(
    Recommender recommender,
    RecommendationStore store,
    ModelReadiness readiness,
    IOptions<RecommenderOptions> options,
    TimeProvider time,
    ILogger<RecommendationModelLoader> logger) : IHostedService
{
    private const int ChunkSize = 8192;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var since = time.GetUtcNow() - options.Value.ReplayWindow;
        var purged = await store.DeleteInteractionsBeforeAsync(since, cancellationToken);

        var items = 0;
        await foreach (var (tenantId, item, removed) in store.ReadItemsAsync(cancellationToken))
        {
            var model = recommender.For(tenantId);
            model.UpsertItem(item);
            if (removed)
            {
                model.RemoveItem(item.ItemId);
            }

            items++;
        }

        var interactions = 0L;
        var chunk = new List<Interaction>(ChunkSize);
        string? chunkTenant = null;
        await foreach (var (tenantId, interaction) in store.ReadInteractionsAsync(since, cancellationToken))
        {
            if (chunkTenant != tenantId || chunk.Count == ChunkSize)
            {
                Flush(chunkTenant, chunk);
                chunkTenant = tenantId;
            }

            chunk.Add(interaction);
            interactions++;
        }

        Flush(chunkTenant, chunk);

        await foreach (var (tenantId, customerId, itemIds, at) in store.ReadCartsAsync(cancellationToken))
        {
            recommender.For(tenantId).SetCart(customerId, itemIds, at);
        }

        readiness.MarkLoaded();
        LogLoaded(recommender.Tenants.Count, items, interactions, purged, stopwatch.ElapsedMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Flush(string? tenantId, List<Interaction> chunk)
    {
        if (tenantId is not null && chunk.Count > 0)
        {
            recommender.For(tenantId).Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chunk));
        }

        chunk.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recommendation models loaded: {Tenants} tenants, {Items} items, {Interactions} interactions replayed ({Purged} expired ones deleted) in {ElapsedMs} ms.")]
    private partial void LogLoaded(int tenants, int items, long interactions, int purged, long elapsedMs);
}
