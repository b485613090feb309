using System.Globalization;
using NodaTime;
using NodaTime.Text;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>Builds the schedule pieces the model tests need, with one location "loc" unless told otherwise.</summary>
internal static class Schedules
{
    public const string LocationId = "loc";

    public static DateTimeZone Berlin { get; } = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static DateTimeZone NewYork { get; } = DateTimeZoneProviders.Tzdb["America/New_York"];

    public static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    public static Instant Utc(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    public static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    /// <summary>The instant of an unambiguous wall-clock time in <paramref name="zone"/>.</summary>
    public static Instant Local(DateTimeZone zone, string localDateTime) =>
        zone.AtStrictly(LocalDateTimePattern.GeneralIso.Parse(localDateTime).GetValueOrThrow()).ToInstant();

    public static int Minute(string clock) => clock == "24:00"
        ? WorkingInterval.EndOfDay
        : int.Parse(clock[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(clock[3..], CultureInfo.InvariantCulture);

    /// <summary>The same intervals on every day of the week.</summary>
    public static WeeklyHours EveryDay(params (string Start, string End)[] intervals) =>
        On([.. Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None)], intervals);

    public static WeeklyHours On(IsoDayOfWeek[] days, params (string Start, string End)[] intervals)
    {
        IReadOnlyList<WorkingInterval> day = [.. intervals.Select(i => new WorkingInterval(Minute(i.Start), Minute(i.End)))];
        return new WeeklyHours(days.ToDictionary(d => d, _ => day));
    }

    public static Location Location(DateTimeZone zone, params LocalDate[] holidays) =>
        new(LocationId, "Main street", zone, holidays.ToHashSet());

    public static Resource Resource(string id, WeeklyHours hours, string locationId = LocationId) =>
        new(id, locationId, id, "staff", hours);

    public static BookingPolicy Policy(Duration? notice = null, Duration? horizon = null, Duration? step = null) =>
        BookingPolicy.Default with
        {
            MinimumNotice = notice ?? Duration.Zero,
            BookingHorizon = horizon ?? Duration.FromDays(365),
            SlotStep = step ?? Duration.FromMinutes(15),
        };

    public static ServiceDefinition ServiceLasting(
        Duration duration, Duration? bufferBefore = null, Duration? bufferAfter = null, BookingPolicy? policy = null, params string[] resourceIds) =>
        new("svc", "Haircut", duration, bufferBefore ?? Duration.Zero, bufferAfter ?? Duration.Zero, resourceIds, 30m, "EUR", policy ?? Policy());

    public static TenantSchedule Schedule(Location location, IEnumerable<Resource> resources, params TimeOff[] timeOff) =>
        Schedule([location], resources, timeOff);

    public static TenantSchedule Schedule(IEnumerable<Location> locations, IEnumerable<Resource> resources, IReadOnlyList<TimeOff> timeOff) =>
        new(
            1,
            locations.ToDictionary(l => l.LocationId, StringComparer.Ordinal),
            resources.ToDictionary(r => r.ResourceId, StringComparer.Ordinal),
            new Dictionary<string, ServiceDefinition>(StringComparer.Ordinal),
            timeOff);

    public static TimeOff Away(string resourceId, Instant start, Instant end) => new($"to-{resourceId}-{start}", resourceId, new Interval(start, end), "training");

    public static Dictionary<string, BusyTimes> NoBookings() => new(StringComparer.Ordinal);

    public static Dictionary<string, BusyTimes> Booked(string resourceId, params (Instant Start, Instant End)[] intervals) =>
        new(StringComparer.Ordinal) { [resourceId] = new BusyTimes(intervals.Select(i => new Interval(i.Start, i.End))) };

    /// <summary>Every slot of a whole local day, searched far enough ahead that notice and horizon do not matter.</summary>
    public static IReadOnlyList<Slot> Day(TenantSchedule schedule, ServiceDefinition service, LocalDate date, DateTimeZone zone)
    {
        var from = zone.AtStartOfDay(date).ToInstant();
        var until = zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
        return AvailabilityEngine.Search(schedule, service, [.. schedule.Resources.Values], from, until, NoBookings(), from - Duration.FromDays(30));
    }

    public static Instant[] EverySteps(Instant first, Duration step, int count) => [.. Enumerable.Range(0, count).Select(i => first + step * i)];
}
