using NodaTime;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Model.Schedules;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>The schedule snapshot: which resources a service can use, time off by resource, and what a booking blocks.</summary>
public sealed class TenantScheduleTests
{
    [Fact]
    public void ResourcesForAServiceKeepTheServicesOrderAndSkipResourcesThatAreGoneOrHaveNoLocation()
    {
        var hours = EveryDay(("09:00", "17:00"));
        var schedule = Schedule(Location(Berlin), [Resource("anna", hours), Resource("ben", hours), Resource("cleo", hours, "gone"), Resource("dora", hours)]);
        var service = ServiceLasting(Duration.FromMinutes(30), resourceIds: ["dora", "missing", "cleo", "anna"]);

        Assert.Equal(["dora", "anna"], schedule.ResourcesFor(service).Select(r => r.ResourceId));
    }

    [Fact]
    public void TimeOffIsLookedUpByResource()
    {
        var start = Utc("2027-06-07T07:00:00Z");
        var schedule = Schedule(
            Location(Berlin),
            [Resource("anna", EveryDay(("09:00", "17:00")))],
            Away("anna", start, start + Duration.FromHours(1)),
            Away("anna", start + Duration.FromDays(1), start + Duration.FromDays(2)),
            Away("ben", start, start + Duration.FromHours(3)));

        Assert.Equal(2, schedule.TimeOff["anna"].Count());
        Assert.Single(schedule.TimeOff["ben"]);
        Assert.Empty(schedule.TimeOff["cleo"]);
        Assert.Empty(schedule.TimeOff["ANNA"]);
    }

    [Fact]
    public void TheEmptyScheduleHasNothing()
    {
        Assert.Equal(0, TenantSchedule.Empty.Version);
        Assert.Empty(TenantSchedule.Empty.Locations);
        Assert.Empty(TenantSchedule.Empty.Resources);
        Assert.Empty(TenantSchedule.Empty.Services);
        Assert.Empty(TenantSchedule.Empty.ResourcesFor(ServiceLasting(Duration.FromMinutes(30), resourceIds: ["anna"])));
    }

    [Fact]
    public void ABookingBlocksItsBuffersAroundIt()
    {
        var start = Utc("2027-06-07T07:00:00Z");
        var service = ServiceLasting(Duration.FromMinutes(45), Duration.FromMinutes(10), Duration.FromMinutes(20));

        Assert.Equal(new Interval(Utc("2027-06-07T06:50:00Z"), Utc("2027-06-07T08:05:00Z")), service.Blocked(start));
        Assert.Equal(new Interval(start, start + Duration.FromMinutes(45)), ServiceLasting(Duration.FromMinutes(45)).Blocked(start));
    }

    [Fact]
    public void TheDefaultPolicyAllowsBookingNowUpToNinetyDaysAheadInQuarterHours()
    {
        var policy = BookingPolicy.Default;

        Assert.Equal(
            (Duration.Zero, Duration.FromDays(90), Duration.FromMinutes(15)),
            (policy.MinimumNotice, policy.BookingHorizon, policy.SlotStep));
        Assert.Equal([Duration.FromHours(24), Duration.FromHours(2)], policy.ReminderOffsets);
    }
}
