using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.Recommendations.IntegrationEvents.Processors;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Testing;
using V1 = RetentionPlatform.Contracts.Recommendations.V1;
using static RetentionPlatform.Recommendations.Tests.Service.CustomerEvents;

namespace RetentionPlatform.Recommendations.Tests.Service;

/// <summary>The service learning from customer events on Kafka, keeping what it learned in PostgreSQL, and forgetting on erasure.</summary>
public sealed class LearningTests
{
    private static string NewTenant() => $"t{Guid.NewGuid():N}"[..20];

    private static async Task<V1.RecommendationList> RecommendAsync(RecommendationsServiceHost host, string tenant, string customer, int limit = 5) =>
        await host.Grpc.RecommendForCustomerAsync(new V1.RecommendForCustomerRequest { CustomerId = customer, Limit = limit }, host.As(tenant));

    /// <summary>Five customers buy espresso with a grinder; one more buys only espresso, and is waiting for the grinder.</summary>
    private static async Task TeachBundleAsync(RecommendationsServiceHost host, string tenant)
    {
        for (var i = 0; i < 5; i++)
        {
            await host.PublishAsync(Bought(tenant, $"buyer-{i}", "espresso", "grinder"));
        }

        await host.PublishAsync(Viewed(tenant, "c-42", "espresso", "coffee", 12.5m, "Espresso beans"), Bought(tenant, "c-42", "espresso"));
    }

    private static bool RecommendsGrinder(V1.RecommendationList list) =>
        list.Items.Count > 0 && list.Items[0].Item.ItemId == "grinder" && list.Items[0].Reason.Kind == V1.ReasonKind.BoughtTogether;

    [Fact]
    public async Task EventsOnKafkaTeachTheModelWhatIsBoughtTogether()
    {
        await using var host = await RecommendationsServiceHost.StartAsync();
        var tenant = NewTenant();
        await TeachBundleAsync(host, tenant);

        var list = await Eventually.GetAsync(() => RecommendAsync(host, tenant, "c-42"), RecommendsGrinder, "the grinder to be recommended");

        Assert.False(list.ColdStart);
        Assert.Equal("espresso", list.Items[0].Reason.RelatedItemId);
        Assert.Equal("Bought together with Espresso beans", list.Items[0].Reason.Text);
        Assert.DoesNotContain(list.Items, r => r.Item.ItemId == "espresso");
        var espresso = await host.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "espresso" }, host.As(tenant));
        Assert.Equal(("Espresso beans", "coffee", 12.5), (espresso.Name, espresso.Category, espresso.Price));
    }

    [Fact]
    public async Task ARestartRebuildsTheModelCatalogAndCartsFromPostgreSql()
    {
        var tenant = NewTenant();
        RecommendationsServiceHost? restarted = null;
        try
        {
            await using (var host = await RecommendationsServiceHost.StartAsync())
            {
                await host.Grpc.UpsertItemsAsync(new V1.UpsertItemsRequest { Items = { new V1.CatalogItem { ItemId = "mug", Category = "merch", Hidden = true }, new V1.CatalogItem { ItemId = "filter", Category = "equipment" } } }, host.As(tenant));
                await TeachBundleAsync(host, tenant);
                await host.PublishAsync(Bought(tenant, "buyer-0", "mug"), Bought(tenant, "buyer-1", "mug"), Cart(tenant, "c-7", "filter"), Viewed(tenant, "c-7", "espresso"));
                await Eventually.GetAsync(() => RecommendAsync(host, tenant, "c-42"), RecommendsGrinder, "the grinder to be recommended");
                await Eventually.GetAsync(() => RecommendAsync(host, tenant, "c-7"), l => l.Items.Any(i => i.Item.ItemId == "grinder"), "c-7's history");
                await host.Grpc.DeleteItemAsync(new V1.DeleteItemRequest { ItemId = "filter" }, host.As(tenant));
                restarted = host;
            }

            // Nothing is published after the restart: what it knows, it read from PostgreSQL while starting.
            restarted = await RecommendationsServiceHost.StartAsync(restartOf: restarted);
            var list = await RecommendAsync(restarted, tenant, "c-42");

            Assert.True(RecommendsGrinder(list), string.Join(", ", list.Items.Select(i => $"{i.Item.ItemId}:{i.Reason.Kind}")));
            Assert.DoesNotContain(list.Items, r => r.Item.ItemId is "mug" or "filter" or "espresso");
            var forCartOwner = await RecommendAsync(restarted, tenant, "c-7");
            Assert.DoesNotContain(forCartOwner.Items, r => r.Item.ItemId is "filter" or "espresso");
            var mug = await restarted.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "mug" }, restarted.As(tenant));
            Assert.True(mug.Hidden);
            var removed = await Assert.ThrowsAsync<RpcException>(async () => await restarted.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "filter" }, restarted.As(tenant)));
            Assert.Equal(StatusCode.NotFound, removed.StatusCode);
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(EventTopics.CustomerEvents)]
    [InlineData(EventTopics.ProfileEvents)]
    public async Task ACustomerErasedEventDeletesTheCustomersRowsAndHistory(string topic)
    {
        var tenant = NewTenant();
        await using var host = await RecommendationsServiceHost.StartAsync();
        await TeachBundleAsync(host, tenant);
        await host.PublishAsync(Cart(tenant, "c-42", "filter"));
        await Eventually.GetAsync(() => RecommendAsync(host, tenant, "c-42"), RecommendsGrinder, "the grinder to be recommended");

        // From a partner's customer_erased event, or from the Profiles API's erasure announced on the profile events.
        await host.PublishToAsync(topic, Erased(tenant, "c-42"));

        var list = await Eventually.GetAsync(() => RecommendAsync(host, tenant, "c-42"), l => l.ColdStart, "c-42 to be forgotten");
        Assert.Contains(list.Items, r => r.Item.ItemId == "espresso");
        await using var data = NpgsqlDataSource.Create(host.ConnectionString);
        Assert.Equal(0L, await CountAsync(data, "select count(*) from recommendations.interactions where tenant_id = $1 and customer_id = 'c-42'", tenant));
        Assert.Equal(0L, await CountAsync(data, "select count(*) from recommendations.carts where tenant_id = $1 and customer_id = 'c-42'", tenant));
        Assert.Equal(10L, await CountAsync(data, "select count(*) from recommendations.interactions where tenant_id = $1", tenant));
    }

    [Fact]
    public async Task ARedeliveredEventIsLearnedOnce()
    {
        var tenant = NewTenant();
        await using var host = await RecommendationsServiceHost.StartAsync();
        var processor = host.Services.GetRequiredService<CustomerEventsProcessor>();
        var model = host.Services.GetRequiredService<Recommender>().For(tenant);
        ConsumedEvent[] events = [.. new[] { Viewed(tenant, "c-1", "a"), Bought(tenant, "c-1", "a", "b") }.Select(e => new ConsumedEvent(e, EventTopics.CustomerEvents, 0, 0, default))];

        await processor.ProcessAsync(events, CancellationToken.None);
        var learned = model.InteractionCount;
        await processor.ProcessAsync(events, CancellationToken.None);

        Assert.Equal(3, learned);
        Assert.Equal(learned, model.InteractionCount);
        await using var data = NpgsqlDataSource.Create(host.ConnectionString);
        Assert.Equal(3L, await CountAsync(data, "select count(*) from recommendations.interactions where tenant_id = $1", tenant));
    }

    [Fact]
    public async Task AProductViewedEventKeepsTheCatalogUpToDateButNeverUnhidesAnItem()
    {
        var tenant = NewTenant();
        await using var host = await RecommendationsServiceHost.StartAsync();
        var processor = host.Services.GetRequiredService<CustomerEventsProcessor>();
        await host.Grpc.UpsertItemsAsync(new V1.UpsertItemsRequest { Items = { new V1.CatalogItem { ItemId = "secret", Category = "x", Hidden = true } } }, host.As(tenant));

        await processor.ProcessAsync(
            [.. new[] { Viewed(tenant, "c-1", "tea", "drinks", 3.2m, "Green tea"), Viewed(tenant, "c-1", "secret", "y", 1m) }.Select(e => new ConsumedEvent(e, EventTopics.CustomerEvents, 0, 0, default))],
            CancellationToken.None);

        var tea = await host.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "tea" }, host.As(tenant));
        Assert.Equal(("Green tea", "drinks", 3.2, true, false), (tea.Name, tea.Category, tea.Price, tea.Available, tea.Hidden));
        var secret = await host.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "secret" }, host.As(tenant));
        Assert.True(secret.Hidden);
        Assert.Equal(("y", 1.0), (secret.Category, secret.Price));
        await using var data = NpgsqlDataSource.Create(host.ConnectionString);
        Assert.Equal(1L, await CountAsync(data, "select count(*) from recommendations.items where tenant_id = $1 and item_id = 'secret' and hidden and category = 'y'", tenant));
    }

    [Fact]
    public async Task TenantsNeverSeeEachOthersItemsOrSignals()
    {
        var (demo, other) = (NewTenant(), NewTenant());
        await using var host = await RecommendationsServiceHost.StartAsync();
        await TeachBundleAsync(host, demo);
        await Eventually.GetAsync(() => RecommendAsync(host, demo, "c-42"), RecommendsGrinder, "demo's model to learn");

        var forOther = await RecommendAsync(host, other, "c-42");
        var popular = await host.Grpc.PopularItemsAsync(new V1.PopularItemsRequest(), host.As(other));
        var similar = await Assert.ThrowsAsync<RpcException>(async () => await host.Grpc.SimilarItemsAsync(new V1.SimilarItemsRequest { ItemId = "espresso" }, host.As(other)));

        Assert.Empty(forOther.Items);
        Assert.Empty(popular.Items);
        Assert.Equal(StatusCode.NotFound, similar.StatusCode);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource data, string sql, string tenant)
    {
        await using var command = data.CreateCommand(sql);
        command.Parameters.Add(new() { Value = tenant });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
