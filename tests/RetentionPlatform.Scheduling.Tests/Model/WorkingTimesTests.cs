using System.Globalization;
using NodaTime;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Model.Schedules;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>Weekly wall-clock hours become instants: breaks split a day, days off and holidays (local dates) are left out.</summary>
public sealed class WorkingTimesTests
{
    private static readonly IsoDayOfWeek[] Weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    [Fact]
    public void ADayWithABreakHasTwoIntervals()
    {
        var hours = On(Weekdays, ("13:00", "17:00"), ("09:00", "12:00"));

        // Monday 2027-06-07 in Berlin (UTC+2).
        var times = AvailabilityEngine.WorkingTimes(Location(Berlin), hours, Local(Berlin, "2027-06-07T00:00:00"), Local(Berlin, "2027-06-08T00:00:00")).ToList();

        Assert.Equal(
            [
                (Utc("2027-06-07T07:00:00Z"), Utc("2027-06-07T10:00:00Z")),
                (Utc("2027-06-07T11:00:00Z"), Utc("2027-06-07T15:00:00Z")),
            ],
            times);
    }

    [Fact]
    public void AWeekHasTheWorkingDaysOnlyInOrder()
    {
        var hours = On(Weekdays, ("09:00", "17:00"));

        var times = AvailabilityEngine.WorkingTimes(Location(Berlin), hours, Local(Berlin, "2027-06-07T00:00:00"), Local(Berlin, "2027-06-14T00:00:00")).ToList();

        Assert.Equal(
            ["2027-06-07", "2027-06-08", "2027-06-09", "2027-06-10", "2027-06-11"],
            times.Select(t => t.Start.InZone(Berlin).Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.All(times, t => Assert.Equal(Duration.FromHours(8), t.End - t.Start));
    }

    [Fact]
    public void AHolidayRemovesThatLocalDateOnly()
    {
        var hours = On(Weekdays, ("09:00", "17:00"));
        var location = Location(Berlin, Date("2027-06-08"));

        var times = AvailabilityEngine.WorkingTimes(location, hours, Local(Berlin, "2027-06-07T00:00:00"), Local(Berlin, "2027-06-10T00:00:00")).ToList();

        Assert.Equal(
            [
                (Utc("2027-06-07T07:00:00Z"), Utc("2027-06-07T15:00:00Z")),
                (Utc("2027-06-09T07:00:00Z"), Utc("2027-06-09T15:00:00Z")),
            ],
            times);
    }

    [Fact]
    public void AHolidayIsALocalDateNotAUtcDate()
    {
        // In New York (UTC-4 in July) the evening of 07-04 is already 07-05 in UTC.
        var hours = EveryDay(("18:00", "24:00"));
        var location = Location(NewYork, Date("2027-07-04"));

        var times = AvailabilityEngine.WorkingTimes(location, hours, Utc("2027-07-04T00:00:00Z"), Utc("2027-07-06T12:00:00Z")).ToList();

        Assert.Equal(
            [
                (Utc("2027-07-03T22:00:00Z"), Utc("2027-07-04T04:00:00Z")),
                (Utc("2027-07-05T22:00:00Z"), Utc("2027-07-06T04:00:00Z")),
            ],
            times);
    }

    [Fact]
    public void OnlyIntervalsOverlappingTheWindowAreReturned()
    {
        // Monday 2027-06-07 in Berlin: 07:00Z-10:00Z and 11:00Z-15:00Z.
        var hours = EveryDay(("09:00", "12:00"), ("13:00", "17:00"));

        var lunch = AvailabilityEngine.WorkingTimes(Location(Berlin), hours, Utc("2027-06-07T10:00:00Z"), Utc("2027-06-07T11:00:00Z")).ToList();
        var lateMorning = AvailabilityEngine.WorkingTimes(Location(Berlin), hours, Utc("2027-06-07T09:59:00Z"), Utc("2027-06-07T11:00:00Z")).ToList();
        var earlyAfternoon = AvailabilityEngine.WorkingTimes(Location(Berlin), hours, Utc("2027-06-07T10:00:00Z"), Utc("2027-06-07T11:01:00Z")).ToList();

        Assert.Empty(lunch);
        Assert.Equal([(Utc("2027-06-07T07:00:00Z"), Utc("2027-06-07T10:00:00Z"))], lateMorning);
        Assert.Equal([(Utc("2027-06-07T11:00:00Z"), Utc("2027-06-07T15:00:00Z"))], earlyAfternoon);
    }

    [Fact]
    public void AResourceWithNoHoursNeverWorks()
    {
        var hours = new WeeklyHours(new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingInterval>>());

        Assert.Empty(AvailabilityEngine.WorkingTimes(Location(Berlin), hours, Utc("2027-06-01T00:00:00Z"), Utc("2027-07-01T00:00:00Z")));
    }
}
