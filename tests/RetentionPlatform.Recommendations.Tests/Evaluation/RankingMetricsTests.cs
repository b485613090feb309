using RetentionPlatform.Recommendations.Evaluation;

namespace RetentionPlatform.Recommendations.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void NdcgOfTwoRelevantItemsAtTheSecondAndFourthPlaceIsTheirDiscountedGainOverTheIdeal()
    {
        string[] ranked = ["a", "b", "c", "d", "e"];
        var relevant = new HashSet<string> { "b", "d", "z" };

        // DCG = 1/log2(3) + 1/log2(5) = 0.630929753571 + 0.430676558073 = 1.061606311644;
        // ideal over min(10, 3) = 3 places: 1/log2(2) + 1/log2(3) + 1/log2(4) = 1 + 0.630929753571 + 0.5 = 2.130929753571.
        Assert.Equal(1.061606311644 / 2.130929753571, RankingMetrics.Ndcg(ranked, relevant, 10), Tolerance);
        Assert.Equal(0.498189257466, RankingMetrics.Ndcg(ranked, relevant, 10), Tolerance);
        Assert.Equal(1, RankingMetrics.HitRate(ranked, relevant, 10));
    }

    [Fact]
    public void ARelevantItemBelowTheCutOffNeitherHitsNorGains()
    {
        string[] ranked = ["a", "b", "c", "d"];
        var relevant = new HashSet<string> { "d" };

        Assert.Equal(0, RankingMetrics.HitRate(ranked, relevant, 3));
        Assert.Equal(0, RankingMetrics.Ndcg(ranked, relevant, 3));
        Assert.Equal(1, RankingMetrics.HitRate(ranked, relevant, 4));
        Assert.Equal(1 / Math.Log2(5), RankingMetrics.Ndcg(ranked, relevant, 4), Tolerance);
    }

    [Fact]
    public void AListWithEveryRelevantItemFirstHasAnNdcgOfOne()
    {
        string[] ranked = ["x", "y", "a", "b"];
        var relevant = new HashSet<string> { "y", "x" };

        Assert.Equal(1, RankingMetrics.Ndcg(ranked, relevant, 10), Tolerance);
    }

    [Fact]
    public void TheIdealGainStopsAtTheCutOffWhenMoreItemsAreRelevantThanFit()
    {
        string[] ranked = ["r1", "n1", "r2"];
        var relevant = new HashSet<string> { "r1", "r2", "r3", "r4", "r5" };

        // k = 3: DCG 1 + 1/2; the ideal fills all three places: 1 + 1/log2(3) + 1/2.
        var expected = 1.5 / (1.5 + (1 / Math.Log2(3)));

        Assert.Equal(expected, RankingMetrics.Ndcg(ranked, relevant, 3), Tolerance);
    }

    [Fact]
    public void AnItemListedTwiceGainsOnce()
    {
        string[] ranked = ["a", "a", "b"];
        var relevant = new HashSet<string> { "a", "c" };

        var expected = 1 / (1 + (1 / Math.Log2(3)));

        Assert.Equal(expected, RankingMetrics.Ndcg(ranked, relevant, 10), Tolerance);
    }

    [Fact]
    public void AListWithoutRelevantItemsScoresZero()
    {
        string[] ranked = ["a", "b"];
        var relevant = new HashSet<string> { "c" };

        Assert.Equal(0, RankingMetrics.HitRate(ranked, relevant, 10));
        Assert.Equal(0, RankingMetrics.Ndcg(ranked, relevant, 10));
        Assert.Equal(0, RankingMetrics.Ndcg([], relevant, 10));
    }

    [Fact]
    public void CoverageIsTheShareOfTheCatalogRecommended()
    {
        Assert.Equal(0.25, RankingMetrics.Coverage(5, 20), Tolerance);
        Assert.Equal(0, RankingMetrics.Coverage(0, 0));
    }
}
