using Orleans.TestingHost;

namespace RetentionPlatform.Profiles.Tests;

public sealed class CustomerGrainTests(ProfilesClusterFixture fixture) : IClassFixture<ProfilesClusterFixture>
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private ICustomerGrain Grain(string tenant, string customer) =>
        fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(CustomerGrainKey.For(tenant, customer));

    private static CustomerEventData Event(string id, string type, DateTimeOffset at) => new(id, type, at);

    [Fact]
    public async Task AnUnknownCustomerHasNoProfile()
    {
        Assert.Null(await Grain("t1", Guid.NewGuid().ToString()).GetProfileAsync());
    }

    [Fact]
    public async Task AppliedEventsSetCountFirstAndLastSeenAndLastType()
    {
        var grain = Grain("t1", "alice");
        var result = await grain.ApplyAsync([Event("e1", "page_viewed", Monday), Event("e2", "order_placed", Monday.AddHours(1))]);

        Assert.Equal(new ApplyEventsResult(2, 0), result);
        var profile = await grain.GetProfileAsync();
        Assert.Equal(("alice", 2L, Monday, Monday.AddHours(1), "order_placed"), (profile!.CustomerId, profile.EventCount, profile.FirstSeen, profile.LastSeen, profile.LastEventType));
    }

    [Fact]
    public async Task AnEventIdIsCountedOnceEvenWhenSentAgainInALaterCall()
    {
        var grain = Grain("t1", "bob");
        await grain.ApplyAsync([Event("e1", "page_viewed", Monday)]);
        var again = await grain.ApplyAsync([Event("e1", "page_viewed", Monday), Event("e1", "page_viewed", Monday)]);

        Assert.Equal(new ApplyEventsResult(0, 2), again);
        Assert.Equal(1, (await grain.GetProfileAsync())!.EventCount);
    }

    [Fact]
    public async Task ALateEventCountsAndMovesFirstSeenButDoesNotBecomeTheLastEvent()
    {
        var grain = Grain("t1", "carol");
        await grain.ApplyAsync([Event("e2", "order_placed", Monday)]);
        await grain.ApplyAsync([Event("e1", "page_viewed", Monday.AddDays(-1))]);

        var profile = await grain.GetProfileAsync();
        Assert.Equal(2, profile!.EventCount);
        Assert.Equal(Monday.AddDays(-1), profile.FirstSeen);
        Assert.Equal(Monday, profile.LastSeen);
        Assert.Equal("order_placed", profile.LastEventType);
    }

    [Fact]
    public async Task TheSameCustomerIdUnderTwoTenantsIsTwoProfiles()
    {
        await Grain("tenant-a", "shared").ApplyAsync([Event("a1", "page_viewed", Monday), Event("a2", "page_viewed", Monday)]);
        await Grain("tenant-b", "shared").ApplyAsync([Event("a1", "order_placed", Monday)]);

        Assert.Equal(2, (await Grain("tenant-a", "shared").GetProfileAsync())!.EventCount);
        Assert.Equal(1, (await Grain("tenant-b", "shared").GetProfileAsync())!.EventCount);
    }

    [Fact]
    public async Task TheDedupWindowSurvivesDeactivation()
    {
        var grain = Grain("t1", "dave");
        await grain.ApplyAsync([Event("e1", "page_viewed", Monday)]);

        var management = fixture.Cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var active = await management.GetDetailedGrainStatistics();
        Assert.DoesNotContain(active, s => s.GrainId.ToString().EndsWith("t1/dave", StringComparison.Ordinal));

        var again = await grain.ApplyAsync([Event("e1", "page_viewed", Monday)]);
        Assert.Equal(new ApplyEventsResult(0, 1), again);
        Assert.Equal(1, (await grain.GetProfileAsync())!.EventCount);
    }

    [Fact]
    public async Task AnEventWhoseWriteFailedIsNeitherShownNorTakenForADuplicateWhenSentAgain()
    {
        var grain = Grain("t1", "frank");
        await grain.ApplyAsync([Event("e1", "page_viewed", Monday)]);
        // The fault-injecting storage looks faults up by grain type.
        var faults = fixture.Cluster.GrainFactory.GetGrain<IStorageFaultGrain>(grain.GetGrainId().Type.ToString());
        await faults.AddFaultOnWrite(grain.GetGrainId(), new InvalidOperationException("storage unavailable"));

        await Assert.ThrowsAnyAsync<Exception>(() => grain.ApplyAsync([Event("e2", "order_placed", Monday.AddHours(1))]));
        Assert.Equal(1, (await grain.GetProfileAsync())!.EventCount);

        var retry = await grain.ApplyAsync([Event("e2", "order_placed", Monday.AddHours(1))]);
        Assert.Equal(new ApplyEventsResult(1, 0), retry);
        Assert.Equal("order_placed", (await grain.GetProfileAsync())!.LastEventType);
    }

    [Fact]
    public async Task TheDedupWindowIsBoundedSoTheOldestIdsAreForgotten()
    {
        var grain = Grain("t1", "erin");
        var events = Enumerable.Range(0, CustomerGrain.DedupWindow + 1).Select(i => Event($"e{i}", "page_viewed", Monday)).ToList();
        await grain.ApplyAsync(events);

        // e0 fell out of the window; the newest one is still remembered.
        var result = await grain.ApplyAsync([Event("e0", "page_viewed", Monday), Event($"e{CustomerGrain.DedupWindow}", "page_viewed", Monday)]);
        Assert.Equal(new ApplyEventsResult(1, 1), result);
    }
}
