using RetentionPlatform.Recommendations.Evaluation;

namespace RetentionPlatform.Recommendations.Tests.Evaluation;

public sealed class PlantedDatasetTests
{
    private static readonly PlantedDatasetOptions Small = new() { Items = 200, Categories = 5, Customers = 300, Days = 20 };

    [Fact]
    public void TheSameSeedGeneratesTheSameEvents()
    {
        var first = PlantedDataset.Generate(Small);
        var second = PlantedDataset.Generate(Small);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void AnotherSeedGeneratesOtherEvents()
    {
        var first = PlantedDataset.Generate(Small);
        var other = PlantedDataset.Generate(Small with { Seed = Small.Seed + 1 });

        Assert.NotEqual(first, other);
    }

    [Fact]
    public void EventsAreInTimeOrderWithUniqueIdsWithinThePeriod()
    {
        var events = PlantedDataset.Generate(Small);

        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.First.OccurredAt <= pair.Second.OccurredAt));
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.All(events, e => Assert.InRange(e.OccurredAt, Small.Start, Small.Start.AddDays(Small.Days)));
    }

    [Fact]
    public void ViewsDescribeTheirItemAndCartsAndOrdersListItems()
    {
        var events = PlantedDataset.Generate(Small);

        Assert.Equal(
            [CustomerEvent.CartUpdated, CustomerEvent.OrderPlaced, CustomerEvent.ProductViewed],
            events.Select(e => e.Type).Distinct().Order(StringComparer.Ordinal));
        Assert.All(events.Where(e => e.Type == CustomerEvent.ProductViewed), e =>
        {
            Assert.Single(e.ItemIds);
            Assert.NotNull(e.Item?.Category);
            Assert.NotNull(e.Item?.Price);
            Assert.NotNull(e.Item?.Name);
        });
        Assert.All(events.Where(e => e.Type != CustomerEvent.ProductViewed), e => Assert.InRange(e.ItemIds.Count, 1, 3));
        var catalog = OfflineEvaluator.Catalog(events);
        Assert.InRange(catalog.Count, Small.Items / 2, Small.Items);
        Assert.Equal(Small.Categories, catalog.Select(i => i.Category).Distinct().Count());
    }

    [Fact]
    public void EveryCustomerBuysSomething()
    {
        var events = PlantedDataset.Generate(Small);

        var buyers = events.Where(e => e.Type == CustomerEvent.OrderPlaced).Select(e => e.CustomerId).Distinct().Count();

        // Each customer's bundle orders fall inside the period unless the journey starts near its end.
        Assert.InRange(buyers, Small.Customers * 9 / 10, Small.Customers);
    }
}
