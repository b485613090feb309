using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class ColdStartTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    /// <summary>Each customer buys one item (so no item has neighbours); hats sell better than shoes.</summary>
    private static ModelBuilder ShopWithoutPairs() =>
        new ModelBuilder()
            .Item("hat-1", "hats").Item("hat-2", "hats").Item("shoe-1", "shoes").Item("shoe-2", "shoes")
            .BoughtByMany(8, "hat-fan", Yesterday, "hat-1")
            .BoughtByMany(6, "hat-fan-2", Yesterday, "hat-2")
            .BoughtByMany(3, "walker", Yesterday, "shoe-1")
            .BoughtByMany(2, "walker-2", Yesterday, "shoe-2");

    [Fact]
    public void ACustomerWithNoHistoryGetsThePopularItemsAsAColdStartAndIsNotRemembered()
    {
        var model = ShopWithoutPairs();

        var list = model.For("stranger");

        Assert.True(list.ColdStart);
        Assert.Equal(["hat-1", "hat-2", "shoe-1", "shoe-2"], list.Ids());
        Assert.All(list.Items, r => Assert.Equal(ReasonKind.Popular, r.Reason.Kind));
        Assert.Equal(19, model.Tenant.CustomerCount);
    }

    [Fact]
    public void ACustomerWhoseItemsHaveNoNeighboursGetsThePopularItemsOfTheCategoryTheyLookedAtFirst()
    {
        var model = ShopWithoutPairs().Item("shoe-new", "shoes").Viewed("me", Now.AddHours(-1), "shoe-new");

        var list = model.For("me");

        // Hats sell better overall, yet the list opens with the best-selling shoe.
        Assert.True(list.ColdStart);
        Assert.Equal("shoe-1", list.Items[0].Item.ItemId);
        Assert.Equal(["hat-1", "hat-2", "shoe-1", "shoe-2"], list.Ids().Order());
        Assert.Equal(ReasonKind.PopularInCategory, list.Items[0].Reason.Kind);
        Assert.Equal("shoes", list.Items[0].Reason.Category);
        Assert.Contains("shoes", list.Items[0].Reason.Text, StringComparison.Ordinal);
        Assert.Equal(ReasonKind.Popular, list.Get("hat-1").Reason.Kind);
    }

    [Fact]
    public void ABrandNewItemsSimilarItemsAreThePopularItemsOfItsOwnCategoryFirst()
    {
        var model = ShopWithoutPairs().Item("shoe-new", "shoes", createdAt: Now);

        var list = model.Similar("shoe-new")!;

        Assert.True(list.ColdStart);
        Assert.Equal(["shoe-1", "shoe-2", "hat-1", "hat-2"], list.Ids());
        Assert.Equal(ReasonKind.PopularInCategory, list.Items[0].Reason.Kind);
        Assert.Equal(ReasonKind.PopularInCategory, list.Items[1].Reason.Kind);
        Assert.Equal(ReasonKind.Popular, list.Items[2].Reason.Kind);
    }

    [Fact]
    public void ANewCatalogItemWithNoEventsAppearsInItsCategorysPopularItemsAfterTheOnesWithActivity()
    {
        var model = ShopWithoutPairs()
            .Item("shoe-older", "shoes", createdAt: Now.AddDays(-30))
            .Item("shoe-new", "shoes", createdAt: Now.AddHours(-1));

        var list = model.Popular(new RecommendationQuery(Category: "shoes"));

        Assert.Equal(["shoe-1", "shoe-2", "shoe-new", "shoe-older"], list.Ids());
        Assert.False(list.ColdStart);
    }

    [Fact]
    public void AnEmptyModelGivesEmptyListsAndNoSimilarItems()
    {
        var model = new ModelBuilder();

        Assert.Empty(model.For("anyone").Items);
        Assert.Empty(model.Popular().Items);
        Assert.Null(model.Similar("anything"));
        Assert.Equal(0, model.Tenant.ItemCount);
        Assert.Equal(0, model.Tenant.CustomerCount);
    }
}
