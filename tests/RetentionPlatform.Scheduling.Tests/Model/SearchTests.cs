using System.Globalization;
using NodaTime;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Model.Schedules;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>
/// Free start times across resources, in Berlin (UTC+2 in June). Monday 2027-06-07: 09:00 local is 07:00Z.
/// </summary>
public sealed class SearchTests
{
    private static readonly Instant Now = Utc("2027-06-01T00:00:00Z");

    private static IReadOnlyList<Slot> Search(
        TenantSchedule schedule, ServiceDefinition service, string from, string until, IReadOnlyDictionary<string, BusyTimes>? busy = null, Instant? now = null) =>
        AvailabilityEngine.Search(schedule, service, [.. schedule.Resources.Values], Local(Berlin, from), Local(Berlin, until), busy ?? NoBookings(), now ?? Now);

    private static string[] Starts(IEnumerable<Slot> slots) =>
        [.. slots.Select(s => s.Start.InZone(Berlin).LocalDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))];

    private static string[] Times(IEnumerable<Slot> slots) =>
        [.. slots.Select(s => s.Start.InZone(Berlin).TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture))];

    [Fact]
    public void SlotsAreSteppedFromTheStartOfEachWorkingIntervalAndEndAfterTheDuration()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "11:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(45), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-08T00:00:00");

        Assert.Equal(["09:00", "09:30", "10:00"], Times(slots));
        Assert.Equal(EverySteps(Utc("2027-06-07T07:45:00Z"), Duration.FromMinutes(30), 3), slots.Select(s => s.End));
        Assert.All(slots, s => Assert.Equal(["anna"], s.ResourceIds));
    }

    [Fact]
    public void ABreakRemovesTheStartsThatWouldTouchIt()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "12:00"), ("13:00", "15:00")))]);
        var service = ServiceLasting(Duration.FromHours(1), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-08T00:00:00");

        Assert.Equal(["09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "13:30", "14:00"], Times(slots));
    }

    [Fact]
    public void SlotsOfSeveralResourcesAreMergedByStartAndListEveryFreeResource()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "11:00"))), Resource("ben", EveryDay(("10:00", "12:00")))]);
        var service = ServiceLasting(Duration.FromHours(1), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-08T00:00:00");

        Assert.Equal(["09:00", "09:30", "10:00", "10:30", "11:00"], Times(slots));
        Assert.Equal(
            [["anna"], ["anna"], ["anna", "ben"], ["ben"], ["ben"]],
            slots.Select(s => s.ResourceIds.ToArray()));
    }

    [Fact]
    public void StartsOnTheStepGridOfDifferentResourcesInterleave()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "10:00"))), Resource("ben", EveryDay(("09:10", "10:10")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(step: Duration.FromMinutes(20)));

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-08T00:00:00");

        Assert.Equal(["09:00", "09:10", "09:20", "09:30"], Times(slots));
        Assert.Equal([["anna"], ["ben"], ["anna"], ["ben"]], slots.Select(s => s.ResourceIds.ToArray()));
    }

    [Fact]
    public void ABookingRemovesExactlyTheStartsThatWouldOverlapIt()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "13:00"))), Resource("ben", EveryDay(("09:00", "13:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30));
        var busy = Booked("anna", (Local(Berlin, "2027-06-07T10:00:00"), Local(Berlin, "2027-06-07T11:00:00")));

        var slots = Search(schedule, service, "2027-06-07T09:00:00", "2027-06-07T12:00:00", busy);

        Assert.Equal(
            ["09:00", "09:15", "09:30", "11:00", "11:15", "11:30", "11:45"],
            Times(slots.Where(s => s.ResourceIds.Contains("anna"))));
        Assert.Equal(12, slots.Count(s => s.ResourceIds.Contains("ben")));
        Assert.Equal(["ben"], slots.Single(s => s.Start == Local(Berlin, "2027-06-07T10:00:00")).ResourceIds);
    }

    [Fact]
    public void BuffersBlockTheNeighbouringStartsExactly()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("08:00", "13:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), Duration.FromMinutes(15), Duration.FromMinutes(15));
        var busy = Booked("anna", (Local(Berlin, "2027-06-07T10:00:00"), Local(Berlin, "2027-06-07T11:00:00")));

        var slots = Search(schedule, service, "2027-06-07T09:00:00", "2027-06-07T12:00:00", busy);

        // 09:15 blocks 09:00-10:00 and 11:15 blocks 11:00-12:00: both end or start right where the booking does.
        Assert.Equal(["09:00", "09:15", "11:15", "11:30", "11:45"], Times(slots));
    }

    [Fact]
    public void TimeOffRemovesSlotsLikeABooking()
    {
        var schedule = Schedule(
            Location(Berlin),
            [Resource("anna", EveryDay(("09:00", "12:00")))],
            Away("anna", Local(Berlin, "2027-06-07T10:00:00"), Local(Berlin, "2027-06-07T11:00:00")));
        var service = ServiceLasting(Duration.FromMinutes(30));
        var busy = Booked("anna", (Local(Berlin, "2027-06-07T11:30:00"), Local(Berlin, "2027-06-07T12:00:00")));

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-08T00:00:00", busy);

        Assert.Equal(["09:00", "09:15", "09:30", "11:00"], Times(slots));
    }

    [Fact]
    public void HolidaysAndDaysOffOfferNothing()
    {
        var schedule = Schedule(
            Location(Berlin, Date("2027-06-08")),
            [Resource("anna", On([IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday], ("09:00", "10:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-14T00:00:00");

        Assert.Equal(["2027-06-07 09:00", "2027-06-07 09:30", "2027-06-09 09:00", "2027-06-09 09:30"], Starts(slots));
    }

    [Fact]
    public void TheWindowIsHalfOpenAndAnUnalignedFromKeepsTheStepGrid()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "17:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30));

        var slots = Search(schedule, service, "2027-06-07T09:10:00", "2027-06-07T10:00:00");

        Assert.Equal(["09:15", "09:30", "09:45"], Times(slots));
    }

    [Fact]
    public void ASlotStartingBeforeUntilIsOfferedEvenIfItEndsAfterIt()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "17:00")))]);
        var service = ServiceLasting(Duration.FromHours(1));

        var slot = Assert.Single(Search(schedule, service, "2027-06-07T15:50:00", "2027-06-07T16:01:00"));

        Assert.Equal((Local(Berlin, "2027-06-07T16:00:00"), Local(Berlin, "2027-06-07T17:00:00")), (slot.Start, slot.End));
    }

    [Fact]
    public void MinimumNoticeTrimsTheStartOfTheWindow()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "17:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(notice: Duration.FromHours(2)));
        var now = Local(Berlin, "2027-06-07T08:10:00");

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-07T11:00:00", now: now);
        var exact = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-07T11:00:00", now: Local(Berlin, "2027-06-07T08:15:00"));

        Assert.Equal(["10:15", "10:30", "10:45"], Times(slots));
        Assert.Equal(["10:15", "10:30", "10:45"], Times(exact));
    }

    [Fact]
    public void TheBookingHorizonTrimsTheEndOfTheWindowInclusively()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "17:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(horizon: Duration.FromDays(1)));
        var now = Local(Berlin, "2027-06-07T16:00:00");

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-10T00:00:00", now: now);

        Assert.Equal(
            ["2027-06-07 16:00", "2027-06-07 16:15", "2027-06-07 16:30", "2027-06-08 09:00"],
            Starts(slots).Take(4));
        Assert.Equal("2027-06-08 16:00", Starts(slots)[^1]);
        Assert.Equal(32, slots.Count);
    }

    [Fact]
    public void SearchAgreesWithCheckOnEveryStartOfTheWeek()
    {
        var schedule = Schedule(
            Location(Berlin, Date("2027-06-09")),
            [Resource("anna", EveryDay(("09:00", "12:00"), ("13:00", "17:00")))],
            Away("anna", Local(Berlin, "2027-06-10T10:20:00"), Local(Berlin, "2027-06-10T14:00:00")));
        var service = ServiceLasting(Duration.FromMinutes(45), Duration.FromMinutes(10), Duration.FromMinutes(5), Policy(notice: Duration.FromHours(3), horizon: Duration.FromDays(5)));
        var now = Local(Berlin, "2027-06-07T10:05:00");
        var resource = schedule.Resources["anna"];

        var offered = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-14T00:00:00", now: now).Select(s => s.Start).ToHashSet();

        Assert.NotEmpty(offered);
        for (var start = Local(Berlin, "2027-06-07T00:00:00"); start < Local(Berlin, "2027-06-14T00:00:00"); start += Duration.FromMinutes(15))
        {
            var problem = AvailabilityEngine.Check(schedule, service, resource, start, now);
            Assert.True(offered.Contains(start) == (problem == SlotProblem.None), $"{start}: offered {offered.Contains(start)}, check {problem}");
        }
    }

    [Fact]
    public void AWindowEntirelyInsideTheNoticeOrBeyondTheHorizonIsEmpty()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("00:00", "24:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(notice: Duration.FromHours(4), horizon: Duration.FromDays(2)));
        var now = Local(Berlin, "2027-06-07T10:00:00");

        Assert.Empty(Search(schedule, service, "2027-06-07T10:00:00", "2027-06-07T14:00:00", now: now));
        Assert.Empty(Search(schedule, service, "2027-06-09T10:15:00", "2027-06-12T00:00:00", now: now));
        Assert.Empty(Search(schedule, service, "2027-06-07T09:00:00", "2027-06-07T09:30:00", now: now));
    }

    [Fact]
    public void AResourceWhoseLocationIsGoneIsSkipped()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("09:00", "10:00"))), Resource("ghost", EveryDay(("09:00", "10:00")), "gone")]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = Search(schedule, service, "2027-06-07T00:00:00", "2027-06-08T00:00:00");

        Assert.Equal(["09:00", "09:30"], Times(slots));
        Assert.All(slots, s => Assert.Equal(["anna"], s.ResourceIds));
    }

    [Fact]
    public void ResourcesInDifferentZonesKeepTheirOwnWallClockHours()
    {
        var newYork = new Location("nyc", "Fifth Avenue", NewYork, new HashSet<LocalDate>());
        var schedule = Schedule(
            [Location(Berlin), newYork],
            [Resource("anna", EveryDay(("09:00", "10:00"))), Resource("nora", EveryDay(("09:00", "10:00")), "nyc")],
            []);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = AvailabilityEngine.Search(schedule, service, [.. schedule.Resources.Values], Utc("2027-06-07T00:00:00Z"), Utc("2027-06-08T00:00:00Z"), NoBookings(), Now);

        Assert.Equal(
            [Utc("2027-06-07T07:00:00Z"), Utc("2027-06-07T07:30:00Z"), Utc("2027-06-07T13:00:00Z"), Utc("2027-06-07T13:30:00Z")],
            slots.Select(s => s.Start));
        Assert.Equal([["anna"], ["anna"], ["nora"], ["nora"]], slots.Select(s => s.ResourceIds.ToArray()));
    }
}
