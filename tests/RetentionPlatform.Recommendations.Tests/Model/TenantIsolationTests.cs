using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class TenantIsolationTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    [Fact]
    public void TwoTenantsWithTheSameItemAndCustomerIdsNeverSeeEachOthersItemsSignalsOrNames()
    {
        var recommender = new Recommender(new RecommenderOptions());
        var books = new ModelBuilder(recommender.For("books"))
            .Item("sku-1", "novels", name: "Moby Dick").Item("sku-2", "novels", name: "Emma").Item("sku-3", "novels", name: "Ulysses")
            .Item("books-only", "novels", name: "Dracula")
            .BoughtByMany(6, "reader", Yesterday, "sku-1", "sku-2")
            .BoughtByMany(9, "collector", Yesterday, "books-only")
            .Bought("customer-1", Now.AddHours(-1), "sku-1");
        var garden = new ModelBuilder(recommender.For("garden"))
            .Item("sku-1", "tools", name: "Spade").Item("sku-2", "tools", name: "Rake").Item("sku-3", "tools", name: "Hoe")
            .BoughtByMany(6, "gardener", Yesterday, "sku-1", "sku-3");

        var gardenList = garden.For("customer-1");
        var booksList = books.For("customer-1");

        Assert.True(gardenList.ColdStart);
        Assert.DoesNotContain("books-only", gardenList.Ids());
        Assert.DoesNotContain("books-only", garden.Popular().Ids());
        Assert.Equal("sku-3", garden.Similar("sku-1")!.Items[0].Item.ItemId);
        Assert.DoesNotContain("Moby Dick", garden.Similar("sku-1")!.Items[0].Reason.Text, StringComparison.Ordinal);
        Assert.Equal("Spade", garden.Tenant.GetItem("sku-1")!.Name);
        Assert.All(gardenList.Items, r => Assert.Equal("tools", r.Item.Category));
        Assert.Equal("sku-2", booksList.Items[0].Item.ItemId);
        Assert.Equal("Emma", booksList.Items[0].Item.Name);
        Assert.Contains("Moby Dick", booksList.Items[0].Reason.Text, StringComparison.Ordinal);
        Assert.Equal(3, garden.Tenant.ItemCount);
        Assert.Equal(6, garden.Tenant.CustomerCount);
    }

    [Fact]
    public void ARecommenderGivesEachTenantItsOwnModelAndAReadNeverCreatesOne()
    {
        var recommender = new Recommender(new RecommenderOptions());

        var first = recommender.For("tenant-a");

        Assert.Same(first, recommender.For("tenant-a"));
        Assert.NotSame(first, recommender.For("tenant-b"));
        Assert.Same(first, recommender.Find("tenant-a"));
        Assert.Null(recommender.Find("tenant-c"));
        Assert.Equal(["tenant-a", "tenant-b"], recommender.Tenants.Order());
    }
}
