using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class ExclusionTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    /// <summary>"c" is bought with "a" by five customers, "me" bought "a": "c" is the first thing "me" is offered.</summary>
    private static ModelBuilder PairedModel(RecommenderOptions? options = null) =>
        new ModelBuilder(options)
            .Item("a").Item("c").Item("filler-1").Item("filler-2")
            .BoughtByMany(5, "pair", Yesterday, "a", "c")
            .BoughtByMany(2, "solo", Yesterday, "filler-1", "filler-2")
            .Bought("me", Now.AddHours(-1), "a");

    /// <summary>
    /// "returning" bought "c" ten days ago, then looked at two other items; with a history of two the purchase has
    /// left the recent history, so only the repurchase window keeps "c" away (for 90 days from the purchase).
    /// </summary>
    private static ModelBuilder ReturningCustomer() =>
        PairedModel(new RecommenderOptions { HistoryLength = 2 })
            .Bought("returning", Now.AddDays(-10), "c")
            .Viewed("returning", Now.AddDays(-9), "filler-1", "filler-2");

    [Fact]
    public void AnItemInTheCartIsNeverRecommended()
    {
        var model = PairedModel();
        Assert.Equal("c", model.For("me").Items[0].Item.ItemId);

        model.Tenant.SetCart("me", ["c"], Now);

        Assert.Equal(["c"], model.Tenant.CartOf("me"));
        Assert.DoesNotContain("c", model.For("me").Ids());
    }

    [Fact]
    public void AddingToTheCartPutsTheItemInTheCartAndBuyingItTakesItOut()
    {
        var model = PairedModel().Did("me", InteractionKind.Cart, Now.AddMinutes(-30), "filler-1", "filler-2");

        Assert.Equal(["filler-1", "filler-2"], model.Tenant.CartOf("me").Order());

        model.Bought("me", Now.AddMinutes(-10), "filler-1");

        Assert.Equal(["filler-2"], model.Tenant.CartOf("me"));
    }

    [Fact]
    public void AnItemTheCustomerAlreadyInteractedWithIsNeverRecommended()
    {
        var model = PairedModel().Viewed("twin", Now.AddHours(-1), "a").Viewed("me", Now.AddMinutes(-30), "c");

        Assert.Equal("c", model.For("twin").Items[0].Item.ItemId);
        Assert.DoesNotContain("c", model.For("me").Ids());
        Assert.DoesNotContain("a", model.For("me").Ids());
    }

    [Fact]
    public void AHiddenItemIsNeverRecommended()
    {
        var model = PairedModel();
        Assert.Equal("c", model.For("me").Items[0].Item.ItemId);

        model.Item("c", hidden: true);

        Assert.DoesNotContain("c", model.For("me").Ids());
        Assert.DoesNotContain("c", model.Similar("a")!.Ids());
        Assert.DoesNotContain("c", model.Popular().Ids());
        Assert.True(model.Tenant.GetItem("c")!.Hidden);
    }

    [Fact]
    public void AnItemOutOfStockIsNotRecommendedUntilItIsBackInStock()
    {
        var model = PairedModel().Item("c", available: false);

        Assert.DoesNotContain("c", model.For("me").Ids());
        Assert.DoesNotContain("c", model.Similar("a")!.Ids());
        Assert.DoesNotContain("c", model.Popular().Ids());

        model.Tenant.UpdateItemFromEvent("c", name: null, category: null, price: null, available: true, Now);

        Assert.Equal("c", model.For("me").Items[0].Item.ItemId);
    }

    [Fact]
    public void ARemovedItemIsNeverRecommendedAndIsGoneFromTheCatalog()
    {
        var model = PairedModel();

        Assert.True(model.Tenant.RemoveItem("c"));

        Assert.False(model.Tenant.RemoveItem("c"));
        Assert.Null(model.Tenant.GetItem("c"));
        Assert.DoesNotContain("c", model.For("me").Ids());
        Assert.DoesNotContain("c", model.Similar("a")!.Ids());
        Assert.DoesNotContain("c", model.Popular().Ids());
        Assert.DoesNotContain("c", model.Popular(new RecommendationQuery(Category: "general")).Ids());
    }

    [Fact]
    public void InteractionsWithARemovedItemAreIgnored()
    {
        var model = PairedModel();
        model.Tenant.RemoveItem("c");
        var before = model.Tenant.InteractionCount;

        model.BoughtByMany(5, "late", Now.AddMinutes(-5), "a", "c");

        Assert.Equal(before + 5, model.Tenant.InteractionCount);
        Assert.Null(model.Tenant.GetItem("c"));
        Assert.DoesNotContain("c", model.Similar("a")!.Ids());
    }

    [Fact]
    public void ARemovedItemUpsertedAgainIsRecommendedAgain()
    {
        var model = PairedModel();
        model.Tenant.RemoveItem("c");

        Assert.True(model.Tenant.UpsertItem(new CatalogItem("c", "Cup", "general", 5m, Available: true, Hidden: false, Now)));

        Assert.Equal("Cup", model.Tenant.GetItem("c")!.Name);
        Assert.Equal("c", model.For("me").Items[0].Item.ItemId);
    }

    [Fact]
    public void ARemovedItemUpsertedAgainTakesItsPlaceInThePopularListsByItsScore()
    {
        var model = new ModelBuilder()
            .Item("best", "tools").Item("second", "tools")
            .BoughtByMany(10, "fan", Yesterday, "best")
            .BoughtByMany(3, "buyer", Yesterday, "second");
        model.Tenant.RemoveItem("best");

        model.Item("best", "tools");

        foreach (var list in new[] { model.Popular(), model.Popular(new RecommendationQuery(Category: "tools")), model.For("stranger") })
        {
            Assert.Contains("best", list.Ids());
            Assert.Equal(list.Items.Select(r => r.Score).OrderDescending(), list.Items.Select(r => r.Score));
        }
    }

    [Fact]
    public void AnItemBoughtWithinTheRepurchaseWindowIsNotRecommendedEvenAfterItLeftTheRecentHistory()
    {
        var model = ReturningCustomer();

        Assert.DoesNotContain("c", model.For("returning").Ids());
        Assert.DoesNotContain("c", model.For("returning", now: Now.AddDays(79)).Ids());
    }

    [Fact]
    public void AnItemBoughtLongerAgoThanTheRepurchaseWindowMayBeRecommendedAgain()
    {
        var model = ReturningCustomer();

        Assert.Contains("c", model.For("returning", now: Now.AddDays(81)).Ids());
    }

    [Fact]
    public void AnItemBoughtLongerAgoThanTheRepurchaseWindowMayComeBackWhileTheCustomerHasFewInteractions()
    {
        // The customer's only interaction is the old purchase: it is still in their recent history (which has room
        // for 50), yet the repurchase window has passed, so the best-seller may be offered again.
        var model = new ModelBuilder()
            .Item("coffee", "pantry").Item("tea", "pantry")
            .BoughtByMany(9, "regular", Yesterday, "coffee")
            .BoughtByMany(3, "other", Yesterday, "tea")
            .Bought("me", Now.AddDays(-100), "coffee");

        var list = model.For("me");

        Assert.Contains("coffee", list.Ids());
    }

    [Fact]
    public void AnItemViewedAddedToTheCartAndBoughtLongerAgoThanTheRepurchaseWindowMayComeBack()
    {
        // The usual way to buy: look, add to the cart, buy. Once the window has passed, the earlier view and cart add
        // must not keep the item away for good.
        var model = new ModelBuilder()
            .Item("coffee", "pantry").Item("tea", "pantry")
            .BoughtByMany(9, "regular", Yesterday, "coffee")
            .BoughtByMany(3, "other", Yesterday, "tea")
            .Viewed("me", Now.AddDays(-100).AddMinutes(-10), "coffee")
            .Did("me", InteractionKind.Cart, Now.AddDays(-100).AddMinutes(-5), "coffee")
            .Bought("me", Now.AddDays(-100), "coffee");

        Assert.Contains("coffee", model.For("me").Ids());
    }
}
