using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class SimilarItemsTests
{
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    [Fact]
    public void SimilarItemsOfAnUnknownItemIsNull()
    {
        var model = new ModelBuilder().Item("a").BoughtByMany(3, "buyer", Yesterday, "a");

        Assert.Null(model.Similar("not-in-the-catalog"));
    }

    [Fact]
    public void SimilarItemsOfARemovedItemIsNull()
    {
        var model = new ModelBuilder().Item("a").Item("b").BoughtByMany(3, "buyer", Yesterday, "a", "b");
        Assert.NotNull(model.Similar("a"));

        model.Tenant.RemoveItem("a");

        Assert.Null(model.Similar("a"));
    }

    [Fact]
    public void SimilarItemsNeverContainTheItemItselfWhenItHasNeighbours()
    {
        var model = new ModelBuilder()
            .Item("a").Item("b").Item("c")
            .BoughtByMany(10, "fan", Yesterday, "a")
            .BoughtByMany(4, "pair", Yesterday, "a", "b");

        var list = model.Similar("a")!;

        Assert.False(list.ColdStart);
        Assert.Equal("b", list.Items[0].Item.ItemId);
        Assert.DoesNotContain("a", list.Ids());
        Assert.Contains("c", list.Ids());
    }

    [Fact]
    public void SimilarItemsNeverContainTheItemItselfEvenWhenItIsTheMostPopularOfItsCategory()
    {
        var model = new ModelBuilder()
            .Item("star", "shoes").Item("other", "shoes").Item("hat", "hats")
            .BoughtByMany(10, "fan", Yesterday, "star")
            .BoughtByMany(2, "walker", Yesterday, "other")
            .BoughtByMany(5, "hatter", Yesterday, "hat");

        var list = model.Similar("star")!;

        Assert.True(list.ColdStart);
        Assert.Equal(["other", "hat"], list.Ids());
    }

    [Fact]
    public void SimilarItemsAreOrderedByHowStronglyTheyGoTogether()
    {
        var model = new ModelBuilder()
            .Item("a").Item("strong").Item("medium").Item("weak")
            .BoughtByMany(6, "strong", Yesterday, "a", "strong")
            .BoughtByMany(3, "medium", Yesterday, "a", "medium")
            .BoughtByMany(2, "weak", Yesterday, "a", "weak");

        var list = model.Similar("a")!;

        Assert.Equal(["strong", "medium", "weak"], list.Ids());
        Assert.All(list.Items, r => Assert.Equal(ReasonKind.BoughtTogether, r.Reason.Kind));
        Assert.True(list.Items[0].Score > list.Items[1].Score && list.Items[1].Score > list.Items[2].Score);
    }

    [Fact]
    public void APairSeenOnceDoesNotOutrankAPairSeenByManyCustomers()
    {
        // By cosine alone the one-off pair of two rare items wins; the shrinkage damps a pair seen only once.
        var model = new ModelBuilder()
            .Item("a").Item("rare").Item("c")
            .BoughtByMany(5, "pair", Yesterday, "a", "c")
            .BoughtByMany(25, "c-fan", Yesterday, "c")
            .Bought("one-off", Yesterday, "a", "rare");

        var list = model.Similar("a")!;

        Assert.Equal(["c", "rare"], list.Ids());
    }

    [Fact]
    public void InteractionsFurtherApartThanThePairGapAreNotPaired()
    {
        var model = new ModelBuilder(new RecommenderOptions { PairMaxGap = TimeSpan.FromDays(30) })
            .Item("a").Item("near").Item("far");
        for (var n = 0; n < 8; n++)
        {
            model.Bought($"customer-{n}", ModelBuilder.Now.AddDays(-35), "a")
                .Bought($"customer-{n}", ModelBuilder.Now.AddDays(-20), "near")
                .Bought($"customer-{n}", ModelBuilder.Now.AddDays(-1), "far");
        }

        var list = model.Similar("a")!;

        Assert.Equal("near", list.Items[0].Item.ItemId);
        Assert.Equal(ReasonKind.BoughtTogether, list.Items[0].Reason.Kind);
        Assert.NotEqual(ReasonKind.BoughtTogether, list.Get("far").Reason.Kind);
    }
}
