using RetentionPlatform.Recommendations.Evaluation;
using RetentionPlatform.Recommendations.Model;
using Xunit.Abstractions;

namespace RetentionPlatform.Recommendations.Tests.Evaluation;

public sealed class OfflineEvaluatorTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OnlyCustomersWithTrainingInteractionsAndANewTestPurchaseAreScoredAndOnlyOnNewItems()
    {
        List<CustomerEvent> events =
        [
            View("c-1", 0, "a"),
            Order("c-1", 1, "b"),
            View("c-2", 2, "a"),
            Order("c-4", 3, "c"),
            Order("c-5", 4, "c"),

            // The test period: c-1 buys b again (not relevant: seen in training) and c (relevant); c-2 buys only what
            // it viewed; c-3 was never seen in training.
            Order("c-1", 10, "b", "c"),
            Order("c-2", 11, "a"),
            Order("c-3", 12, "d"),
        ];

        var result = new OfflineEvaluator().Evaluate(events, Start.AddDays(10));

        Assert.Equal((5, 3), (result.TrainEvents, result.TestEvents));
        Assert.Equal(1, result.CustomersEvaluated);
        Assert.Equal(1, result.CustomersWithOnlyRepeatPurchases);
        Assert.Equal(3, result.CatalogItems);

        // Popularity in training is c (two orders), then b (one order), then a (two views); without c-1's a and b,
        // the baseline's list is [c]: a hit at the first place, on one of the three catalog items.
        Assert.Equal(new MetricSet(1, 1, 1 / 3.0), result.Baseline);
    }

    [Fact]
    public void TheDefaultSplitIsTheTimeOfTheEventAtEightyPercent()
    {
        var events = Enumerable.Range(0, 10).Select(i => View("c-1", i, $"sku-{i}")).ToList();

        var result = new OfflineEvaluator().Evaluate(events);

        Assert.Equal(Start.AddDays(8), result.SplitAt);
        Assert.Equal((8, 2), (result.TrainEvents, result.TestEvents));
    }

    [Fact]
    public void TheCatalogKeepsEachItemsLatestAttributesFromItsFirstAppearance()
    {
        List<CustomerEvent> events =
        [
            View("c-1", 0, "a") with { Item = new ItemDetails("tea", 3m, "Green tea") },
            View("c-2", 1, "a") with { Item = new ItemDetails(null, 4m, null) },
            View("c-2", 2, "b"),
        ];

        var item = Assert.Single(OfflineEvaluator.Catalog(events));

        Assert.Equal(new CatalogItem("a", "Green tea", "tea", 4m, true, false, Start), item);
    }

    [Fact]
    public void OnTheDefaultPlantedDatasetTheModelBeatsThePopularityBaselineClearly()
    {
        var events = PlantedDataset.Generate(new PlantedDatasetOptions());

        var result = new OfflineEvaluator().Evaluate(events);

        var report = new StringWriter();
        EvaluationReport.Write(report, result);
        output.WriteLine(report.ToString());
        // A clear margin: at least a quarter better on both, against a baseline that is itself no strawman.
        Assert.True(result.CustomersEvaluated >= 1_000, $"only {result.CustomersEvaluated} customers evaluated");
        Assert.True(result.Model.HitRate >= 1.25 * result.Baseline.HitRate, $"HitRate@10 {result.Model.HitRate:0.0000} against {result.Baseline.HitRate:0.0000}");
        Assert.True(result.Model.Ndcg >= 1.25 * result.Baseline.Ndcg, $"NDCG@10 {result.Model.Ndcg:0.0000} against {result.Baseline.Ndcg:0.0000}");
        Assert.True(result.Baseline.HitRate > 0.05, $"the baseline is a strawman: HitRate@10 {result.Baseline.HitRate:0.0000}");
    }

    private static CustomerEvent View(string customer, int day, string item) =>
        new($"{customer}-{day}-view", CustomerEvent.ProductViewed, customer, Start.AddDays(day), [item]);

    private static CustomerEvent Order(string customer, int day, params string[] items) =>
        new($"{customer}-{day}-order", CustomerEvent.OrderPlaced, customer, Start.AddDays(day), items);
}
