using System.Globalization;
using NodaTime;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Model.Schedules;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>
/// Working hours are wall-clock hours: across the 2027 changes in Berlin (spring 03-28 02:00 to 03:00, autumn 10-31
/// 03:00 to 02:00) and New York (spring 03-14 02:00 to 03:00, autumn 11-07 02:00 to 01:00) the UTC instants move,
/// the local hours do not, and each day has exactly the time it really has.
/// </summary>
public sealed class DaylightSavingTimeTests
{
    [Theory]
    [InlineData("Europe/Berlin", "2027-03-27", "2027-03-27T08:00:00Z")]
    [InlineData("Europe/Berlin", "2027-03-28", "2027-03-28T07:00:00Z")]
    [InlineData("Europe/Berlin", "2027-10-30", "2027-10-30T07:00:00Z")]
    [InlineData("Europe/Berlin", "2027-10-31", "2027-10-31T08:00:00Z")]
    [InlineData("America/New_York", "2027-03-13", "2027-03-13T14:00:00Z")]
    [InlineData("America/New_York", "2027-03-14", "2027-03-14T13:00:00Z")]
    [InlineData("America/New_York", "2027-11-06", "2027-11-06T13:00:00Z")]
    [InlineData("America/New_York", "2027-11-07", "2027-11-07T14:00:00Z")]
    public void NineToFiveSlotsStartAtNineLocalWithTheOffsetOfThatDay(string zoneId, string date, string nineLocalUtc)
    {
        var zone = Zone(zoneId);
        var schedule = Schedule(Location(zone), [Resource("anna", EveryDay(("09:00", "17:00")))]);
        var service = ServiceLasting(Duration.FromHours(1), policy: Policy(step: Duration.FromHours(1)));

        var slots = Day(schedule, service, Date(date), zone);

        Assert.Equal(EverySteps(Utc(nineLocalUtc), Duration.FromHours(1), 8), slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal(s.Start + Duration.FromHours(1), s.End));
        Assert.Equal(
            Enumerable.Range(9, 8).Select(h => new LocalTime(h, 0)),
            slots.Select(s => s.Start.InZone(zone).TimeOfDay));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2027-03-28", "2027-03-27T23:00:00Z", "2027-03-28T04:00:00Z")]
    [InlineData("America/New_York", "2027-03-14", "2027-03-14T05:00:00Z", "2027-03-14T10:00:00Z")]
    public void AMidnightToSixResourceWorksFiveHoursOnTheSpringDay(string zoneId, string date, string startUtc, string endUtc)
    {
        var zone = Zone(zoneId);
        var location = Location(zone);
        var day = Date(date);

        var times = AvailabilityEngine.WorkingTimes(location, EveryDay(("00:00", "06:00")), zone.AtStartOfDay(day).ToInstant(), zone.AtStartOfDay(day.PlusDays(1)).ToInstant()).ToList();

        var (start, end) = Assert.Single(times);
        Assert.Equal((Utc(startUtc), Utc(endUtc)), (start, end));
        Assert.Equal(Duration.FromHours(5), end - start);
    }

    [Theory]
    [InlineData("Europe/Berlin", "2027-03-28", "2027-03-27T23:00:00Z")]
    [InlineData("America/New_York", "2027-03-14", "2027-03-14T05:00:00Z")]
    public void SpringDaySlotsSkipTheMissingHourWithoutAGapInElapsedTime(string zoneId, string date, string firstUtc)
    {
        var zone = Zone(zoneId);
        var schedule = Schedule(Location(zone), [Resource("anna", EveryDay(("00:00", "06:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = Day(schedule, service, Date(date), zone);

        Assert.Equal(EverySteps(Utc(firstUtc), Duration.FromMinutes(30), 10), slots.Select(s => s.Start));
        Assert.Equal(
            ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00", "05:30"],
            slots.Select(s => s.Start.InZone(zone).TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(slots, s => s.Start.InZone(zone).Hour == 2);
    }

    [Theory]
    [InlineData("Europe/Berlin", "2027-10-31", "2027-10-30T22:00:00Z", "2027-10-31T05:00:00Z")]
    [InlineData("America/New_York", "2027-11-07", "2027-11-07T04:00:00Z", "2027-11-07T11:00:00Z")]
    public void AMidnightToSixResourceWorksSevenHoursOnTheAutumnDay(string zoneId, string date, string startUtc, string endUtc)
    {
        var zone = Zone(zoneId);
        var location = Location(zone);
        var day = Date(date);

        var times = AvailabilityEngine.WorkingTimes(location, EveryDay(("00:00", "06:00")), zone.AtStartOfDay(day).ToInstant(), zone.AtStartOfDay(day.PlusDays(1)).ToInstant()).ToList();

        var (start, end) = Assert.Single(times);
        Assert.Equal((Utc(startUtc), Utc(endUtc)), (start, end));
        Assert.Equal(Duration.FromHours(7), end - start);
    }

    [Theory]
    [InlineData("Europe/Berlin", "2027-10-31", "2027-10-30T22:00:00Z", 2, 2, 1)]
    [InlineData("America/New_York", "2027-11-07", "2027-11-07T04:00:00Z", 1, -4, -5)]
    public void AutumnDaySlotsOfferTheRepeatedHourTwiceWithDifferentOffsets(string zoneId, string date, string firstUtc, int repeatedHour, int summerOffset, int winterOffset)
    {
        var zone = Zone(zoneId);
        var schedule = Schedule(Location(zone), [Resource("anna", EveryDay(("00:00", "06:00")))]);
        var service = ServiceLasting(Duration.FromMinutes(30), policy: Policy(step: Duration.FromMinutes(30)));

        var slots = Day(schedule, service, Date(date), zone);

        Assert.Equal(EverySteps(Utc(firstUtc), Duration.FromMinutes(30), 14), slots.Select(s => s.Start));
        var repeated = slots.Select(s => s.Start.InZone(zone)).Where(z => z.Hour == repeatedHour).ToList();
        Assert.Equal(
            [
                (new LocalTime(repeatedHour, 0), Offset.FromHours(summerOffset)),
                (new LocalTime(repeatedHour, 30), Offset.FromHours(summerOffset)),
                (new LocalTime(repeatedHour, 0), Offset.FromHours(winterOffset)),
                (new LocalTime(repeatedHour, 30), Offset.FromHours(winterOffset)),
            ],
            repeated.Select(z => (z.TimeOfDay, z.Offset)));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2027-03-27", 24)]
    [InlineData("Europe/Berlin", "2027-03-28", 23)]
    [InlineData("Europe/Berlin", "2027-10-31", 25)]
    [InlineData("America/New_York", "2027-03-14", 23)]
    [InlineData("America/New_York", "2027-11-07", 25)]
    [InlineData("America/New_York", "2027-11-08", 24)]
    public void ARoundTheClockResourceHasOneHourSlotForEveryHourTheDayReallyHas(string zoneId, string date, int hours)
    {
        var zone = Zone(zoneId);
        var day = Date(date);
        var schedule = Schedule(Location(zone), [Resource("room", EveryDay(("00:00", "24:00")))]);
        var service = ServiceLasting(Duration.FromHours(1), policy: Policy(step: Duration.FromHours(1)));

        var slots = Day(schedule, service, day, zone);

        Assert.Equal(EverySteps(zone.AtStartOfDay(day).ToInstant(), Duration.FromHours(1), hours), slots.Select(s => s.Start));
        Assert.Equal(zone.AtStartOfDay(day.PlusDays(1)).ToInstant(), slots[^1].End);
    }

    [Fact]
    public void ATimeInTheSpringGapMapsToTheEndOfTheGap()
    {
        Assert.Equal(Utc("2027-03-28T01:00:00Z"), AvailabilityEngine.At(Berlin, Date("2027-03-28"), Minute("02:00")));
        Assert.Equal(Utc("2027-03-28T01:00:00Z"), AvailabilityEngine.At(Berlin, Date("2027-03-28"), Minute("02:30")));
        Assert.Equal(Utc("2027-03-28T01:00:00Z"), AvailabilityEngine.At(Berlin, Date("2027-03-28"), Minute("03:00")));
        Assert.Equal(Utc("2027-03-14T07:00:00Z"), AvailabilityEngine.At(NewYork, Date("2027-03-14"), Minute("02:45")));
    }

    [Fact]
    public void ARepeatedTimeMapsToItsFirstOccurrence()
    {
        Assert.Equal(Utc("2027-10-31T00:30:00Z"), AvailabilityEngine.At(Berlin, Date("2027-10-31"), Minute("02:30")));
        Assert.Equal(Utc("2027-11-07T05:30:00Z"), AvailabilityEngine.At(NewYork, Date("2027-11-07"), Minute("01:30")));
    }

    [Fact]
    public void MidnightAndTheEndOfTheDayAreTheStartsOfTheDayAndTheNextDay()
    {
        Assert.Equal(Utc("2027-10-30T22:00:00Z"), AvailabilityEngine.At(Berlin, Date("2027-10-31"), 0));
        Assert.Equal(Utc("2027-10-31T23:00:00Z"), AvailabilityEngine.At(Berlin, Date("2027-10-31"), WorkingInterval.EndOfDay));
        Assert.Equal(Utc("2027-03-15T04:00:00Z"), AvailabilityEngine.At(NewYork, Date("2027-03-14"), WorkingInterval.EndOfDay));
    }

    [Fact]
    public void AnIntervalInsideTheSkippedHourHasNoWorkingTimeThatDay()
    {
        var location = Location(Berlin);
        var hours = EveryDay(("02:00", "03:00"));

        var spring = AvailabilityEngine.WorkingTimes(location, hours, Utc("2027-03-27T23:00:00Z"), Utc("2027-03-28T22:00:00Z")).ToList();
        var dayBefore = AvailabilityEngine.WorkingTimes(location, hours, Utc("2027-03-26T23:00:00Z"), Utc("2027-03-27T23:00:00Z")).ToList();

        Assert.Empty(spring);
        Assert.Equal([(Utc("2027-03-27T01:00:00Z"), Utc("2027-03-27T02:00:00Z"))], dayBefore);
    }

    [Fact]
    public void AnIntervalOverTheRepeatedHourHasItsRealLength()
    {
        var location = Location(Berlin);

        var times = AvailabilityEngine.WorkingTimes(location, EveryDay(("01:00", "04:00")), Utc("2027-10-30T22:00:00Z"), Utc("2027-10-31T23:00:00Z")).ToList();

        Assert.Equal([(Utc("2027-10-30T23:00:00Z"), Utc("2027-10-31T03:00:00Z"))], times);
    }

    [Fact]
    public void CheckAcceptsTheSecondOccurrenceOfARepeatedTimeAndTheLastSlotBeforeClosing()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("00:00", "06:00")))]);
        var resource = schedule.Resources["anna"];
        var service = ServiceLasting(Duration.FromMinutes(30));
        var now = Utc("2027-10-01T00:00:00Z");

        Assert.Equal(SlotProblem.None, AvailabilityEngine.Check(schedule, service, resource, Utc("2027-10-31T00:00:00Z"), now));
        Assert.Equal(SlotProblem.None, AvailabilityEngine.Check(schedule, service, resource, Utc("2027-10-31T01:00:00Z"), now));
        Assert.Equal(SlotProblem.None, AvailabilityEngine.Check(schedule, service, resource, Utc("2027-10-31T04:30:00Z"), now));
        Assert.Equal(SlotProblem.OutsideWorkingHours, AvailabilityEngine.Check(schedule, service, resource, Utc("2027-10-31T04:31:00Z"), now));
    }

    [Fact]
    public void CheckRefusesTheHourAfterClosingThatWouldExistOnAnOrdinaryDay()
    {
        var schedule = Schedule(Location(Berlin), [Resource("anna", EveryDay(("00:00", "06:00")))]);
        var resource = schedule.Resources["anna"];
        var service = ServiceLasting(Duration.FromMinutes(30));
        var now = Utc("2027-03-01T00:00:00Z");

        // 04:30Z is 06:30 CEST on the spring day (closed) though it would be 05:30 CET, inside the hours, the day before.
        Assert.Equal(SlotProblem.OutsideWorkingHours, AvailabilityEngine.Check(schedule, service, resource, Utc("2027-03-28T04:30:00Z"), now));
        Assert.Equal(SlotProblem.None, AvailabilityEngine.Check(schedule, service, resource, Utc("2027-03-27T04:30:00Z"), now));
        Assert.Equal(SlotProblem.None, AvailabilityEngine.Check(schedule, service, resource, Utc("2027-03-28T03:30:00Z"), now));
    }
}
