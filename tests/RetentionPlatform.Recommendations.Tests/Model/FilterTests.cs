using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class FilterTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    /// <summary>Hats are more popular than shoes; "me" bought a shoe that is bought together with the other shoes and a hat.</summary>
    private static ModelBuilder ShopWithTwoCategories() =>
        new ModelBuilder()
            .Item("hat-1", "hats").Item("hat-2", "hats").Item("shoe-1", "shoes").Item("shoe-2", "shoes").Item("shoe-3", "shoes")
            .BoughtByMany(9, "hat-fan", Yesterday, "hat-1")
            .BoughtByMany(7, "hat-fan-2", Yesterday, "hat-2")
            .BoughtByMany(4, "walker", Yesterday, "shoe-1", "shoe-2", "hat-1")
            .BoughtByMany(2, "runner", Yesterday, "shoe-3")
            .Bought("me", Now.AddHours(-1), "shoe-1");

    [Fact]
    public void ACategoryFilterKeepsOnlyItemsOfThatCategoryInEveryQuery()
    {
        var model = ShopWithTwoCategories();
        var shoes = new RecommendationQuery(Category: "shoes");

        var forMe = model.For("me", shoes);
        var similar = model.Similar("hat-1", shoes)!;
        var popular = model.Popular(shoes);

        Assert.Contains("hat-1", model.For("me").Ids());
        Assert.NotEmpty(forMe.Items);
        Assert.All(forMe.Items, r => Assert.Equal("shoes", r.Item.Category));
        Assert.NotEmpty(similar.Items);
        Assert.All(similar.Items, r => Assert.Equal("shoes", r.Item.Category));
        Assert.Equal(["shoe-1", "shoe-2", "shoe-3"], popular.Ids());
        Assert.All(popular.Items, r => Assert.Equal(ReasonKind.PopularInCategory, r.Reason.Kind));
        Assert.All(popular.Items, r => Assert.Equal("shoes", r.Reason.Category));
    }

    [Fact]
    public void AnUnknownCategoryGivesAnEmptyListFromEveryQuery()
    {
        var model = ShopWithTwoCategories();
        var query = new RecommendationQuery(Category: "no-such-category");

        Assert.Empty(model.For("me", query).Items);
        Assert.Empty(model.Similar("shoe-1", query)!.Items);
        Assert.Empty(model.Popular(query).Items);
    }

    [Fact]
    public void APriceRangeKeepsOnlyItemsPricedWithinItAndLeavesOutItemsWithoutAPrice()
    {
        var model = new ModelBuilder()
            .Item("p5", price: 5m).Item("p10", price: 10m).Item("p15", price: 15m).Item("p20", price: 20m).Item("p25", price: 25m).Item("unpriced", price: null)
            .BoughtByMany(3, "buyer", Yesterday, "p5", "p10", "p15", "p20", "p25", "unpriced");

        var all = model.Popular();
        var inRange = model.Popular(new RecommendationQuery(MinPrice: 10m, MaxPrice: 20m));
        var cheap = model.Popular(new RecommendationQuery(MaxPrice: 10m));
        var dear = model.Popular(new RecommendationQuery(MinPrice: 20m));

        Assert.Contains("unpriced", all.Ids());
        Assert.Equal(["p10", "p15", "p20"], inRange.Ids().Order());
        Assert.Equal(["p10", "p5"], cheap.Ids().Order());
        Assert.Equal(["p20", "p25"], dear.Ids().Order());
    }

    [Fact]
    public void APriceFilterAppliesToACustomersRecommendationsAndToSimilarItems()
    {
        var model = new ModelBuilder()
            .Item("camera", price: 500m).Item("lens", price: 300m).Item("strap", price: 20m).Item("case", price: null)
            .BoughtByMany(5, "photographer", Yesterday, "camera", "lens", "strap", "case")
            .Bought("me", Now.AddHours(-1), "camera");
        var affordable = new RecommendationQuery(MaxPrice: 100m);

        Assert.Equal(["strap"], model.For("me", affordable).Ids());
        Assert.Equal(["strap"], model.Similar("camera", affordable)!.Ids());
    }

    [Fact]
    public void ALimitCapsTheNumberOfItemsReturned()
    {
        var model = ShopWithTwoCategories();
        var three = new RecommendationQuery(Limit: 3);

        Assert.Equal(3, model.For("me", three).Items.Count);
        Assert.Equal(3, model.Similar("shoe-1", three)!.Items.Count);
        Assert.Equal(3, model.Popular(three).Items.Count);
        Assert.Equal(5, model.Popular().Items.Count);
    }
}
