using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class PopularityTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;
    private static readonly DateTimeOffset Yesterday = ModelBuilder.Yesterday;

    [Fact]
    public void RecentActivityOutweighsMoreButOlderActivity()
    {
        var model = new ModelBuilder()
            .Item("old-favourite").Item("new-favourite")
            .BoughtByMany(10, "then", Now.AddDays(-120), "old-favourite")
            .BoughtByMany(4, "now", Yesterday, "new-favourite");

        var list = model.Popular();

        Assert.Equal(["new-favourite", "old-favourite"], list.Ids());
        Assert.True(list.Items[0].Score > list.Items[1].Score);
    }

    [Fact]
    public void AnItemsPopularityHalvesOverOneHalfLife()
    {
        var model = new ModelBuilder(new RecommenderOptions { HalfLife = TimeSpan.FromDays(10) })
            .Item("a")
            .Bought("buyer", Now, "a");

        var today = model.Popular(now: Now).Items[0].Score;
        var tenDaysOn = model.Popular(now: Now.AddDays(10)).Items[0].Score;

        Assert.Equal(4, today, 6);
        Assert.Equal(2, tenDaysOn, 6);
    }

    [Fact]
    public void AnItemWithABurstOfRecentActivityIsTrending()
    {
        var model = new ModelBuilder()
            .Item("steady").Item("burst")
            .BoughtByMany(10, "long-ago", Now.AddDays(-20), "steady")
            .BoughtByMany(3, "just-now", Yesterday, "burst");

        var list = model.Popular();

        Assert.Equal(["steady", "burst"], list.Ids());
        Assert.Equal(ReasonKind.Trending, list.Get("burst").Reason.Kind);
        Assert.Equal(ReasonKind.Popular, list.Get("steady").Reason.Kind);
    }

    [Fact]
    public void ItemsWithActivitySpreadEvenlyOverTimeAreNotTrending()
    {
        var model = new ModelBuilder().Item("a").Item("b");
        for (var day = 30; day >= 1; day--)
        {
            model.Bought($"a-buyer-{day}", Now.AddDays(-day), "a").Bought($"b-buyer-{day}", Now.AddDays(-day).AddHours(1), "b");
        }

        var list = model.Popular();

        Assert.Equal(2, list.Items.Count);
        Assert.All(list.Items, r => Assert.Equal(ReasonKind.Popular, r.Reason.Kind));
    }

    [Fact]
    public void EventsSpreadOverYearsRankAsTheRecentEventsAloneDo()
    {
        var spread = new ModelBuilder();
        var recentOnly = new ModelBuilder();
        var items = Enumerable.Range(0, 8).Select(i => $"item-{i}").ToArray();

        // Four years to one year ago, once a week: the same items, so old signals reach every item (decayed away).
        var week = 0;
        for (var at = Now.AddYears(-4); at < Now.AddYears(-1); at = at.AddDays(7), week++)
        {
            spread.Bought($"old-{week}", at, items[week % 8], items[(week + 1) % 8]);
        }

        foreach (var model in new[] { spread, recentOnly })
        {
            ApplyRecentHalfYear(model, items);
        }

        var query = new RecommendationQuery(Limit: 8);
        AssertSameRanking(recentOnly.Popular(query), spread.Popular(query));
        AssertSameRanking(recentOnly.For("me"), spread.For("me"));
        foreach (var item in items)
        {
            AssertSameRanking(recentOnly.Similar(item, query)!, spread.Similar(item, query)!);
        }
    }

    [Fact]
    public void AnOldEventArrivingAfterRecentOnesDoesNotDisturbTheRanking()
    {
        var items = Enumerable.Range(0, 8).Select(i => $"item-{i}").ToArray();
        var inOrder = new ModelBuilder();
        var withLateOldEvents = new ModelBuilder();
        ApplyRecentHalfYear(inOrder, items);
        ApplyRecentHalfYear(withLateOldEvents, items);

        withLateOldEvents.Bought("archive", Now.AddYears(-6), items[7], items[0]).Bought("archive-2", Now.AddYears(-3), items[0]);

        var query = new RecommendationQuery(Limit: 8);
        AssertSameRanking(inOrder.Popular(query), withLateOldEvents.Popular(query));
        AssertSameRanking(inOrder.Similar(items[7], query)!, withLateOldEvents.Similar(items[7], query)!);
        AssertSameRanking(inOrder.For("me"), withLateOldEvents.For("me"));
    }

    [Fact]
    public void AnEventDatedAtTheUnixEpochLeavesEveryScoreFiniteAndTheRankingUnchanged()
    {
        var items = Enumerable.Range(0, 8).Select(i => $"item-{i}").ToArray();
        var plain = new ModelBuilder();
        var epochFirst = new ModelBuilder();
        var epochLast = new ModelBuilder();
        ApplyRecentHalfYear(plain, items);
        epochFirst.Bought("epoch", DateTimeOffset.UnixEpoch, items[7], items[0]);
        ApplyRecentHalfYear(epochFirst, items);
        ApplyRecentHalfYear(epochLast, items);
        epochLast.Bought("epoch", DateTimeOffset.UnixEpoch, items[7], items[0]);

        var query = new RecommendationQuery(Limit: 8);
        foreach (var model in new[] { epochFirst, epochLast })
        {
            AssertSameRanking(plain.Popular(query), model.Popular(query));
            AssertSameRanking(plain.Similar(items[7], query)!, model.Similar(items[7], query)!);
            AssertSameRanking(plain.For("me"), model.For("me"));
            Assert.All(model.For("epoch").Items, r => Assert.True(double.IsFinite(r.Score)));
        }
    }

    /// <summary>
    /// Half a year of co-purchases (long enough for the decay clock to move its origin several times), every item with
    /// its own strength, ending with "me" buying item-0.
    /// </summary>
    private static void ApplyRecentHalfYear(ModelBuilder model, string[] items)
    {
        var start = Now.AddDays(-180);
        for (var day = 0; day < 180; day++)
        {
            for (var i = 0; i < items.Length; i++)
            {
                // Item i is bought on a share of days that falls with i, always together with its partner.
                if (day % (i + 1) == 0)
                {
                    model.Bought($"recent-{day}-{i}", start.AddDays(day).AddMinutes(i), items[i], items[(i + 1) % items.Length]);
                }
            }
        }

        model.Bought("me", Now.AddHours(-1), items[0]);
    }

    private static void AssertSameRanking(RecommendationList expected, RecommendationList actual)
    {
        Assert.NotEmpty(expected.Items);
        Assert.Equal(expected.Ids(), actual.Ids());
        Assert.Equal(expected.ColdStart, actual.ColdStart);
        for (var i = 0; i < expected.Items.Count; i++)
        {
            Assert.True(double.IsFinite(actual.Items[i].Score), $"{actual.Items[i].Item.ItemId} has score {actual.Items[i].Score}");
            Assert.Equal(expected.Items[i].Reason.Kind, actual.Items[i].Reason.Kind);
            var relative = Math.Abs(actual.Items[i].Score - expected.Items[i].Score) / Math.Max(Math.Abs(expected.Items[i].Score), 1e-12);
            Assert.True(relative < 1e-3, $"{actual.Items[i].Item.ItemId}: {actual.Items[i].Score} against {expected.Items[i].Score}");
        }
    }
}
