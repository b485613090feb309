using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class CoOccurrenceTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    [Fact]
    public void ItemsBoughtTogetherByManyCustomersAreRecommendedToACustomerWhoBoughtOneOfThem()
    {
        var model = new ModelBuilder()
            .Item("kettle", "kitchen", name: "Steel Kettle").Item("teapot", "kitchen", name: "Teapot").Item("lamp", "living")
            .BoughtByMany(5, "pair", Yesterday, "kettle", "teapot")
            .BoughtByMany(3, "solo", Yesterday, "lamp")
            .Bought("me", Now.AddHours(-1), "kettle");

        var list = model.For("me");

        Assert.False(list.ColdStart);
        var first = list.Items[0];
        Assert.Equal("teapot", first.Item.ItemId);
        Assert.Equal(ReasonKind.BoughtTogether, first.Reason.Kind);
        Assert.Equal("kettle", first.Reason.RelatedItemId);
        Assert.Contains("Steel Kettle", first.Reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ItemsViewedTogetherAreRecommendedWithTheViewedTogetherReason()
    {
        var model = new ModelBuilder()
            .Item("a", name: "Alpha").Item("b").Item("c")
            .ViewedByMany(10, "browser", Yesterday, "a", "b")
            .BoughtByMany(3, "solo", Yesterday, "c")
            .Viewed("me", Now.AddHours(-1), "a");

        var first = model.For("me").Items[0];

        Assert.Equal("b", first.Item.ItemId);
        Assert.Equal(ReasonKind.ViewedTogether, first.Reason.Kind);
        Assert.Equal("a", first.Reason.RelatedItemId);
        Assert.Contains("Alpha", first.Reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AReasonNamesTheRelatedItemByItsIdWhenTheItemHasNoName()
    {
        var model = new ModelBuilder()
            .BoughtByMany(5, "pair", Yesterday, "sku-17", "sku-18")
            .Bought("me", Now.AddHours(-1), "sku-17");

        var similar = model.Similar("sku-17")!;
        var forMe = model.For("me");

        Assert.Equal("sku-18", similar.Items[0].Item.ItemId);
        Assert.Contains("sku-17", similar.Items[0].Reason.Text, StringComparison.Ordinal);
        Assert.Equal("sku-18", forMe.Items[0].Item.ItemId);
        Assert.Contains("sku-17", forMe.Items[0].Reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ABestSellerEveryoneBuysDoesNotOutrankAGenuinelyCoPurchasedItem()
    {
        // More customers bought A with the best-seller B (8) than with C (5), but B is bought by everyone: only the
        // normalisation by both items' popularity puts C first.
        var model = new ModelBuilder()
            .Item("a").Item("best-seller").Item("c")
            .BoughtByMany(8, "with-best", Yesterday, "a", "best-seller")
            .BoughtByMany(30, "everyone", Yesterday, "best-seller")
            .BoughtByMany(5, "with-c", Yesterday, "a", "c")
            .Bought("me", Now.AddHours(-1), "a");

        var forMe = model.For("me");
        var similar = model.Similar("a")!;

        Assert.Equal("c", forMe.Items[0].Item.ItemId);
        Assert.True(forMe.PositionOf("best-seller") > 0);
        Assert.Equal("c", similar.Items[0].Item.ItemId);
        Assert.True(similar.PositionOf("c") < similar.PositionOf("best-seller"));
    }

    [Fact]
    public void OneCustomerViewingTwoItemsOverAndOverDoesNotOutweighFiveCustomersBuyingTwoItems()
    {
        var model = new ModelBuilder().Item("a").Item("b").Item("c");
        for (var i = 0; i < 50; i++)
        {
            model.Viewed("clicker", Yesterday.AddMinutes(i), "a", "b");
        }

        model.BoughtByMany(5, "buyer", Yesterday.AddHours(2), "a", "c")
            .Viewed("me", Now.AddHours(-1), "a");

        var forMe = model.For("me");
        var similar = model.Similar("a")!;

        Assert.Equal("c", forMe.Items[0].Item.ItemId);
        Assert.Equal("c", similar.Items[0].Item.ItemId);
        Assert.True(similar.PositionOf("c") < similar.PositionOf("b"));
    }

    [Fact]
    public void TheTopOfACustomersListMixesCategoriesWhenAnotherCategoryIsOnlySlightlyWeaker()
    {
        // Cups are bought with the teabag by 5 customers each, pots by 4 each: by score alone all cups come first.
        var model = new ModelBuilder()
            .Item("teabag", "tea")
            .Item("cup-1", "cups").Item("cup-2", "cups").Item("cup-3", "cups")
            .Item("pot-1", "pots").Item("pot-2", "pots");
        foreach (var cup in new[] { "cup-1", "cup-2", "cup-3" })
        {
            model.BoughtByMany(5, $"with-{cup}", Yesterday, "teabag", cup);
        }

        foreach (var pot in new[] { "pot-1", "pot-2" })
        {
            model.BoughtByMany(4, $"with-{pot}", Yesterday, "teabag", pot);
        }

        model.Bought("me", Now.AddHours(-1), "teabag");

        var list = model.For("me");

        var topCategories = list.Items.Take(2).Select(r => r.Item.Category).ToHashSet();
        Assert.Equal(["cups", "pots"], topCategories.Order());
        var weakestCupScore = list.Items.Where(r => r.Item.Category == "cups").Min(r => r.Score);
        var strongestPotScore = list.Items.Where(r => r.Item.Category == "pots").Max(r => r.Score);
        Assert.True(strongestPotScore < weakestCupScore, "the pots are weaker candidates than every cup");
    }

    [Fact]
    public void ACustomersRecommendationsComeFromTheNeighboursOfEveryRecentItem()
    {
        var model = new ModelBuilder()
            .Item("shirt", "clothes").Item("tie", "clothes").Item("tent", "outdoor").Item("stove", "outdoor").Item("other", "misc")
            .BoughtByMany(5, "office", Yesterday, "shirt", "tie")
            .BoughtByMany(5, "camper", Yesterday, "tent", "stove")
            .BoughtByMany(9, "solo", Yesterday, "other")
            .Bought("me", Now.AddHours(-2), "shirt")
            .Bought("me", Now.AddHours(-1), "tent");

        var list = model.For("me");

        Assert.Equal(["stove", "tie"], list.Ids().Take(2).Order());
        Assert.Equal("shirt", list.Get("tie").Reason.RelatedItemId);
        Assert.Equal("tent", list.Get("stove").Reason.RelatedItemId);
    }
}
