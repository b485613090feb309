using NodaTime;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Model.Schedules;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>
/// Whether one start time can be booked by the schedule alone. Anna works 09:00-17:00 Monday to Friday in Berlin
/// (UTC+2 in June); Monday 2027-06-07 09:00 local is 07:00Z.
/// </summary>
public sealed class CheckTests
{
    private static readonly IsoDayOfWeek[] Weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];
    private static readonly Instant Now = Utc("2027-06-01T06:00:00Z");
    private static readonly ServiceDefinition HalfHour = ServiceLasting(Duration.FromMinutes(30));

    private static TenantSchedule Anna(Location? location = null, params TimeOff[] timeOff) =>
        Schedule(location ?? Location(Berlin), [Resource("anna", On(Weekdays, ("09:00", "17:00"))), Resource("ben", On(Weekdays, ("09:00", "17:00")))], timeOff);

    private static SlotProblem Check(string start, TenantSchedule? schedule = null, ServiceDefinition? service = null, Instant? now = null)
    {
        schedule ??= Anna();
        return AvailabilityEngine.Check(schedule, service ?? HalfHour, schedule.Resources["anna"], Local(Berlin, start), now ?? Now);
    }

    [Theory]
    [InlineData("2027-06-07T09:00:00")]
    [InlineData("2027-06-07T12:10:00")]
    [InlineData("2027-06-07T16:30:00")]
    [InlineData("2027-06-11T09:00:00")]
    public void AStartInsideTheHoursIsFine(string start) => Assert.Equal(SlotProblem.None, Check(start));

    [Theory]
    [InlineData("2027-06-07T08:59:00")]
    [InlineData("2027-06-07T16:45:00")]
    [InlineData("2027-06-07T17:00:00")]
    [InlineData("2027-06-07T23:00:00")]
    [InlineData("2027-06-12T10:00:00")]
    [InlineData("2027-06-13T10:00:00")]
    public void AStartOutsideTheHoursOrRunningPastClosingIsOutsideWorkingHours(string start) =>
        Assert.Equal(SlotProblem.OutsideWorkingHours, Check(start));

    [Fact]
    public void AServiceThatWouldRunPastClosingIsRefusedButTheSameStartForAShorterOneIsNot()
    {
        Assert.Equal(SlotProblem.OutsideWorkingHours, Check("2027-06-07T16:45:00"));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T16:45:00", service: ServiceLasting(Duration.FromMinutes(15))));
    }

    [Fact]
    public void AStartDuringTheBreakOrAServiceSpanningItIsOutsideWorkingHours()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", On(Weekdays, ("09:00", "12:00"), ("13:00", "17:00")))]);

        Assert.Equal(SlotProblem.None, Check("2027-06-07T11:30:00", schedule));
        Assert.Equal(SlotProblem.OutsideWorkingHours, Check("2027-06-07T11:45:00", schedule));
        Assert.Equal(SlotProblem.OutsideWorkingHours, Check("2027-06-07T12:15:00", schedule));
        Assert.Equal(SlotProblem.OutsideWorkingHours, Check("2027-06-07T12:45:00", schedule));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T13:00:00", schedule));
    }

    [Fact]
    public void AStartOnAHolidayIsClosed()
    {
        var schedule = Anna(Location(Berlin, Date("2027-06-08")));

        Assert.Equal(SlotProblem.Closed, Check("2027-06-08T10:00:00", schedule));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T10:00:00", schedule));
        Assert.Equal(SlotProblem.None, Check("2027-06-09T10:00:00", schedule));
    }

    [Fact]
    public void TheHolidayIsJudgedByTheLocalDateOfTheStart()
    {
        // 23:30Z on 06-07 is already 01:30 on the holiday 06-08 in Berlin.
        var schedule = Schedule(Location(Berlin, Date("2027-06-08")), [Resource("anna", EveryDay(("00:00", "24:00")))]);
        var resource = schedule.Resources["anna"];

        Assert.Equal(SlotProblem.Closed, AvailabilityEngine.Check(schedule, HalfHour, resource, Utc("2027-06-07T23:30:00Z"), Now));
        Assert.Equal(SlotProblem.None, AvailabilityEngine.Check(schedule, HalfHour, resource, Utc("2027-06-07T21:30:00Z"), Now));
        Assert.Equal(SlotProblem.None, AvailabilityEngine.Check(schedule, HalfHour, resource, Utc("2027-06-08T22:00:00Z"), Now));
    }

    [Fact]
    public void AStartBeforeNowIsInThePastEvenOutsideTheHours()
    {
        var now = Local(Berlin, "2027-06-07T12:00:00");

        Assert.Equal(SlotProblem.InThePast, Check("2027-06-07T11:59:00", now: now));
        Assert.Equal(SlotProblem.InThePast, Check("2027-06-06T03:00:00", now: now));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T12:00:00", now: now));
    }

    [Fact]
    public void AStartInsideTheMinimumNoticeIsTooSoon()
    {
        var now = Local(Berlin, "2027-06-07T10:00:00");
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(notice: Duration.FromHours(2)));

        Assert.Equal(SlotProblem.TooSoon, Check("2027-06-07T10:00:00", service: service, now: now));
        Assert.Equal(SlotProblem.TooSoon, Check("2027-06-07T11:59:00", service: service, now: now));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T12:00:00", service: service, now: now));
        Assert.Equal(SlotProblem.InThePast, Check("2027-06-07T09:00:00", service: service, now: now));
    }

    [Fact]
    public void AStartBeyondTheBookingHorizonIsTooFarAhead()
    {
        var now = Local(Berlin, "2027-06-07T10:00:00");
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(horizon: Duration.FromDays(7)));

        Assert.Equal(SlotProblem.None, Check("2027-06-14T10:00:00", service: service, now: now));
        Assert.Equal(SlotProblem.TooFarAhead, Check("2027-06-14T10:15:00", service: service, now: now));
        Assert.Equal(SlotProblem.TooFarAhead, Check("2027-06-14T23:00:00", service: service, now: now));
    }

    [Fact]
    public void TimeOffTouchingTheAppointmentMakesTheResourceAway()
    {
        var schedule = Anna(null, Away("anna", Local(Berlin, "2027-06-07T11:00:00"), Local(Berlin, "2027-06-07T12:00:00")));

        Assert.Equal(SlotProblem.ResourceAway, Check("2027-06-07T11:00:00", schedule));
        Assert.Equal(SlotProblem.ResourceAway, Check("2027-06-07T10:45:00", schedule));
        Assert.Equal(SlotProblem.ResourceAway, Check("2027-06-07T11:45:00", schedule));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T10:30:00", schedule));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T12:00:00", schedule));
    }

    [Fact]
    public void TimeOffCountsAgainstTheBuffersToo()
    {
        var schedule = Anna(null, Away("anna", Local(Berlin, "2027-06-07T11:00:00"), Local(Berlin, "2027-06-07T12:00:00")));
        var buffered = ServiceLasting(Duration.FromMinutes(30), Duration.FromMinutes(15), Duration.FromMinutes(15));

        Assert.Equal(SlotProblem.ResourceAway, Check("2027-06-07T10:30:00", schedule, buffered));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T10:15:00", schedule, buffered));
        Assert.Equal(SlotProblem.ResourceAway, Check("2027-06-07T12:00:00", schedule, buffered));
        Assert.Equal(SlotProblem.None, Check("2027-06-07T12:15:00", schedule, buffered));
    }

    [Fact]
    public void AnotherResourcesTimeOffDoesNotMatter()
    {
        var schedule = Anna(null, Away("ben", Local(Berlin, "2027-06-07T00:00:00"), Local(Berlin, "2027-06-08T00:00:00")));

        Assert.Equal(SlotProblem.None, Check("2027-06-07T11:00:00", schedule));
        Assert.Equal(SlotProblem.ResourceAway, AvailabilityEngine.Check(schedule, HalfHour, schedule.Resources["ben"], Local(Berlin, "2027-06-07T11:00:00"), Now));
    }

    [Fact]
    public void TheScheduleChecksComeBeforeTheTimeOffCheck()
    {
        var schedule = Anna(Location(Berlin, Date("2027-06-08")), Away("anna", Local(Berlin, "2027-06-01T00:00:00"), Local(Berlin, "2027-07-01T00:00:00")));

        Assert.Equal(SlotProblem.Closed, Check("2027-06-08T10:00:00", schedule));
        Assert.Equal(SlotProblem.OutsideWorkingHours, Check("2027-06-07T18:00:00", schedule));
        Assert.Equal(SlotProblem.ResourceAway, Check("2027-06-07T10:00:00", schedule));
    }

    [Fact]
    public void AResourceWhoseLocationIsGoneIsOutsideWorkingHours()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", On(Weekdays, ("09:00", "17:00")), locationId: "gone")]);

        Assert.Equal(SlotProblem.OutsideWorkingHours, Check("2027-06-07T10:00:00", schedule));
    }
}
