using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class CatalogTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    [Fact]
    public void UpsertingAnItemTellsWhetherItWasNewAndReplacesItsCatalogData()
    {
        var model = new ModelBuilder();
        var created = new CatalogItem("a", "Anvil", "tools", 99m, Available: true, Hidden: false, Now.AddDays(-3));

        Assert.True(model.Tenant.UpsertItem(created));
        Assert.False(model.Tenant.UpsertItem(created with { Name = "Big Anvil", Category = "heavy", Price = 120m, CreatedAt = Now }));

        Assert.Equal(created with { Name = "Big Anvil", Category = "heavy", Price = 120m }, model.Tenant.GetItem("a"));
        Assert.Equal(1, model.Tenant.ItemCount);
    }

    [Fact]
    public void AnEventChangesAnItemsPriceCategoryAndAvailabilityAndLeavesWhatItDoesNotSay()
    {
        var model = new ModelBuilder()
            .Item("a", "tools", price: 10m, name: "Anvil").Item("b", "tools")
            .BoughtByMany(3, "buyer", Yesterday, "a");

        model.Tenant.UpdateItemFromEvent("a", name: null, category: "garden", price: 12.5m, available: false, Now);

        var item = model.Tenant.GetItem("a")!;
        Assert.Equal(("Anvil", "garden", 12.5m, false), (item.Name, item.Category, item.Price, item.Available));
        Assert.DoesNotContain("a", model.Popular().Ids());

        model.Tenant.UpdateItemFromEvent("a", name: "Small Anvil", category: null, price: null, available: true, Now);

        item = model.Tenant.GetItem("a")!;
        Assert.Equal(("Small Anvil", "garden", 12.5m, true), (item.Name, item.Category, item.Price, item.Available));
        Assert.Equal(["a"], model.Popular(new RecommendationQuery(Category: "garden")).Ids());
        Assert.Equal(["b"], model.Popular(new RecommendationQuery(Category: "tools")).Ids());
    }

    [Fact]
    public void AnItemFirstSeenInInteractionsKeepsItsPopularityWhenTheCatalogGivesItACategory()
    {
        var model = new ModelBuilder()
            .Item("listed", "tools")
            .BoughtByMany(5, "early", Yesterday, "seen-first")
            .BoughtByMany(2, "buyer", Yesterday, "listed");
        Assert.Equal(CatalogItem.Uncategorised, model.Tenant.GetItem("seen-first")!.Category);

        model.Item("seen-first", "tools");

        Assert.Equal(["seen-first", "listed"], model.Popular(new RecommendationQuery(Category: "tools")).Ids());
        Assert.Empty(model.Popular(new RecommendationQuery(Category: CatalogItem.Uncategorised)).Items);
    }

    [Fact]
    public void AnEventAboutAnUnknownItemAddsItToTheCatalog()
    {
        var model = new ModelBuilder();

        model.Tenant.UpdateItemFromEvent("seen-first-in-an-event", "Widget", "gadgets", 3m, available: true, Now);

        Assert.Equal(new CatalogItem("seen-first-in-an-event", "Widget", "gadgets", 3m, Available: true, Hidden: false, Now), model.Tenant.GetItem("seen-first-in-an-event"));
    }

    [Fact]
    public void AnEventNeverUnhidesAHiddenItem()
    {
        var model = new ModelBuilder().Item("a", hidden: true).BoughtByMany(3, "buyer", Yesterday, "a");

        model.Tenant.UpdateItemFromEvent("a", "Anvil", "tools", 5m, available: true, Now);

        var item = model.Tenant.GetItem("a")!;
        Assert.True(item.Hidden);
        Assert.Equal(("Anvil", "tools", 5m), (item.Name, item.Category, item.Price));
        Assert.DoesNotContain("a", model.Popular().Ids());
        Assert.DoesNotContain("a", model.Popular(new RecommendationQuery(Category: "tools")).Ids());
    }

    [Fact]
    public void AnEventNeverRestoresARemovedItem()
    {
        var model = new ModelBuilder().Item("a").Item("b").BoughtByMany(3, "buyer", Yesterday, "a", "b");
        model.Tenant.RemoveItem("a");

        model.Tenant.UpdateItemFromEvent("a", "Anvil", "tools", 5m, available: true, Now);

        Assert.Null(model.Tenant.GetItem("a"));
        Assert.Null(model.Similar("a"));
        Assert.DoesNotContain("a", model.Popular().Ids());
        Assert.DoesNotContain("a", model.Similar("b")!.Ids());
    }

    [Fact]
    public void AnErasedCustomerIsTreatedAsUnknown()
    {
        var model = new ModelBuilder()
            .Item("a").Item("c").Item("d")
            .BoughtByMany(5, "trio", Yesterday, "a", "c", "d")
            .Bought("me", Now.AddHours(-1), "a");
        model.Tenant.SetCart("me", ["c"], Now);
        var before = model.For("me");
        Assert.False(before.ColdStart);

        Assert.True(model.Tenant.EraseCustomer("me"));

        Assert.Equal(5, model.Tenant.CustomerCount);
        Assert.Empty(model.Tenant.CartOf("me"));
        var after = model.For("me");
        Assert.True(after.ColdStart);
        Assert.Equal(model.For("never-seen").Ids(), after.Ids());
        Assert.False(model.Tenant.EraseCustomer("me"));
    }
}
