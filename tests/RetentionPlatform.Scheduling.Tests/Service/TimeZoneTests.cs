using System.Globalization;
using System.Net;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>
/// Availability and bookings over REST across daylight-saving changes: a Berlin business seen from New York (the two
/// zones change on different dates), and nights on which the clocks jump or repeat an hour. The dates are in 2027
/// (US spring 03-14, EU spring 03-28, EU autumn 10-31, US autumn 11-07), within the services' P700D horizon.
/// </summary>
public sealed class TimeZoneTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    /// <summary>A Berlin salon open 09:00-17:00 every day with a one-hour consultation on the hour.</summary>
    private async Task BerlinBusinessAsync()
    {
        await LocationAsync(_host, _tenant, "berlin", "Europe/Berlin");
        await ResourceAsync(_host, _tenant, "anna", "berlin", Hours("09:00", "17:00"));
        await ServiceAsync(_host, _tenant, "consult", new
        {
            name = "Consultation", duration = "PT60M", resourceIds = Ids("anna"), slotStep = "PT60M", bookingHorizon = "P700D", reminderOffsets = Array.Empty<string>(),
        });
    }

    /// <summary>Two locations whose resource works 00:00-06:00 on Sundays (the nights the clocks change).</summary>
    private async Task NightShiftsAsync()
    {
        foreach (var (location, zone) in new[] { ("berlin", "Europe/Berlin"), ("newyork", "America/New_York") })
        {
            await LocationAsync(_host, _tenant, location, zone);
            await ResourceAsync(_host, _tenant, $"night-{location}", location, Hours("00:00", "06:00", "sunday"));
            await ServiceAsync(_host, _tenant, $"night-{location}", new
            {
                name = "Night slot", duration = "PT60M", resourceIds = Ids($"night-{location}"), slotStep = "PT60M", bookingHorizon = "P700D",
                reminderOffsets = Array.Empty<string>(),
            });
        }
    }

    private async Task<JsonElement> AvailabilityAsync(string serviceId, string date, string? timeZone = null)
    {
        var zone = timeZone is null ? "" : $"&timeZone={Uri.EscapeDataString(timeZone)}";
        using var response = await _host.GetAsync($"/v1/scheduling/availability?serviceId={serviceId}&from={date}&to={date}{zone}", _tenant);
        return await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>A local time with its offset, read leniently (so a test can check what a time means before how it is written).</summary>
    private static OffsetDateTime Local(string text) => OffsetDateTimePattern.ExtendedIso.Parse(text).GetValueOrThrow();

    private static DateTimeOffset Parse(string text) => Local(text).ToDateTimeOffset();

    /// <summary>Asserts the local times mean what is expected (wall clock and offset) and are written as documented: RFC 3339, a full ±HH:mm offset.</summary>
    private static void AssertWrittenAsDocumented(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        Assert.Equal(expected.Select(Local), actual.Select(Local));
        Assert.True(expected.SequenceEqual(actual), $"The local times are right but not written with a full offset as README.md and scheduling.proto document: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}].");
    }

    private static List<string> Starts(JsonElement availability) => [.. availability.GetProperty("slots").EnumerateArray().Select(s => s.Text("startsAt"))];

    /// <summary>Eight hourly local start times on <paramref name="date"/> from <paramref name="firstHour"/>, with <paramref name="offset"/>.</summary>
    private static List<string> Hourly(string date, int firstHour, string offset) =>
        [.. Enumerable.Range(firstHour, 8).Select(h => string.Create(CultureInfo.InvariantCulture, $"{date}T{h:00}:00:00{offset}"))];

    [Theory]
    [InlineData("2027-03-13", 3, "-05:00", "+01:00")] // both on standard time: six hours apart
    [InlineData("2027-03-15", 4, "-04:00", "+01:00")] // New York on summer time, Berlin not yet: five hours apart
    [InlineData("2027-03-29", 3, "-04:00", "+02:00")] // both on summer time: six hours apart again
    [InlineData("2027-10-30", 3, "-04:00", "+02:00")] // both on summer time
    [InlineData("2027-11-01", 4, "-04:00", "+01:00")] // Berlin back on standard time, New York not yet
    [InlineData("2027-11-08", 3, "-05:00", "+01:00")] // both on standard time
    public async Task ABerlinBusinessSeenFromNewYorkShowsItsNineOClockSlotAtTheRightLocalTimeAroundEachDstChange(
        string date, int newYorkHour, string newYorkOffset, string berlinOffset)
    {
        await BerlinBusinessAsync();

        var fromNewYork = await AvailabilityAsync("consult", date, "America/New_York");
        var inBerlin = await AvailabilityAsync("consult", date);

        Assert.Equal("America/New_York", fromNewYork.Text("timeZone"));
        Assert.Equal("Europe/Berlin", inBerlin.Text("timeZone"));
        var first = fromNewYork.GetProperty("slots")[0];
        Assert.Equal(["anna"], first.GetProperty("resourceIds").EnumerateArray().Select(r => r.GetString()));
        // The same instants, only written in two zones.
        Assert.Equal(Starts(inBerlin).Select(Parse), Starts(fromNewYork).Select(Parse));
        AssertWrittenAsDocumented(Hourly(date, newYorkHour, newYorkOffset), Starts(fromNewYork));
        AssertWrittenAsDocumented([string.Create(CultureInfo.InvariantCulture, $"{date}T{newYorkHour + 1:00}:00:00{newYorkOffset}")], [first.Text("endsAt")]);
        AssertWrittenAsDocumented(Hourly(date, 9, berlinOffset), Starts(inBerlin));
    }

    [Theory]
    [InlineData("2027-03-15T04:00:00-04:00", "2027-03-15T08:00:00Z", "2027-03-15T09:00:00+01:00")]
    [InlineData("2027-11-01T04:00:00-04:00", "2027-11-01T08:00:00Z", "2027-11-01T09:00:00+01:00")]
    [InlineData("2027-03-29T03:00:00-04:00", "2027-03-29T07:00:00Z", "2027-03-29T09:00:00+02:00")]
    public async Task ABookingFromNewYorkAnswersTheStartInTheBusinessZoneAndInTheCustomerZone(string startsAt, string utc, string berlin)
    {
        await BerlinBusinessAsync();
        var date = startsAt[..10];

        var booking = await BookAsync(_host, _tenant, new { serviceId = "consult", customerId = "c-ny", startsAt, customerTimeZone = "America/New_York" });
        var after = await AvailabilityAsync("consult", date, "America/New_York");

        Assert.Equal(Parse(utc), booking.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(TimeSpan.Zero, booking.GetProperty("startsAt").GetDateTimeOffset().Offset);
        Assert.Equal("Europe/Berlin", booking.Text("timeZone"));
        Assert.Equal("America/New_York", booking.Text("customerTimeZone"));
        Assert.DoesNotContain(Local(startsAt), Starts(after).Select(Local));
        Assert.Equal(7, Starts(after).Count);
        var read = await GetBookingAsync(_host, _tenant, booking.Text("bookingId"));
        var events = await AppointmentEventsTopic.WaitForAsync(_tenant, e => e.Is(AppointmentEventTypes.Booked, booking.Text("bookingId")), "the booking event");
        var booked = Assert.Single(events, e => e.Type == AppointmentEventTypes.Booked);
        Assert.Equal(("Europe/Berlin", "America/New_York"), (booked["timeZone"], booked["customerTimeZone"]));
        AssertWrittenAsDocumented([berlin, startsAt], [booking.Text("localStartsAt"), booking.Text("customerLocalStartsAt")]);
        AssertWrittenAsDocumented([berlin, startsAt], [read.Text("localStartsAt"), read.Text("customerLocalStartsAt")]);
        AssertWrittenAsDocumented([berlin, startsAt], [booked["localStartsAt"]!, booked["customerLocalStartsAt"]!]);
    }

    [Theory]
    [InlineData("night-berlin", "2027-03-28", new[] { "00:00:00+01:00", "01:00:00+01:00", "03:00:00+02:00", "04:00:00+02:00", "05:00:00+02:00" })]
    [InlineData("night-berlin", "2027-10-31", new[] { "00:00:00+02:00", "01:00:00+02:00", "02:00:00+02:00", "02:00:00+01:00", "03:00:00+01:00", "04:00:00+01:00", "05:00:00+01:00" })]
    [InlineData("night-newyork", "2027-03-14", new[] { "00:00:00-05:00", "01:00:00-05:00", "03:00:00-04:00", "04:00:00-04:00", "05:00:00-04:00" })]
    [InlineData("night-newyork", "2027-11-07", new[] { "00:00:00-04:00", "01:00:00-04:00", "01:00:00-05:00", "02:00:00-05:00", "03:00:00-05:00", "04:00:00-05:00", "05:00:00-05:00" })]
    public async Task ANightShiftOnADstChangeOffersExactlyTheHoursTheNightReallyHas(string serviceId, string date, string[] times)
    {
        await NightShiftsAsync();

        var availability = await AvailabilityAsync(serviceId, date);

        var slots = availability.GetProperty("slots").EnumerateArray()
            .Select(s => (Start: Parse(s.Text("startsAt")), End: Parse(s.Text("endsAt"))))
            .ToList();
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(1), s.End - s.Start));
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(TimeSpan.FromHours(1), pair.Second.Start - pair.First.Start));
        // 00:00-06:00 on the wall clock is five elapsed hours in spring and seven in autumn.
        Assert.Equal(TimeSpan.FromHours(times.Length), slots[^1].End - slots[0].Start);
        AssertWrittenAsDocumented([.. times.Select(t => $"{date}T{t}")], Starts(availability));
    }

    [Fact]
    public async Task TheRepeatedHourOfAnAutumnNightCanBeBookedTwiceOncePerOccurrence()
    {
        await NightShiftsAsync();

        var second = await BookAsync(_host, _tenant, new { serviceId = "night-berlin", customerId = "c-late", startsAt = "2027-10-31T02:00:00+01:00" });
        var first = await BookAsync(_host, _tenant, new { serviceId = "night-berlin", customerId = "c-early", startsAt = "2027-10-31T02:00:00+02:00" });

        Assert.Equal(TimeSpan.FromHours(1), second.GetProperty("startsAt").GetDateTimeOffset() - first.GetProperty("startsAt").GetDateTimeOffset());
        var left = Starts(await AvailabilityAsync("night-berlin", "2027-10-31"));
        Assert.DoesNotContain(left, s => Local(s).Hour == 2);
        Assert.Equal(5, left.Count);
        AssertWrittenAsDocumented(["2027-10-31T02:00:00+02:00", "2027-10-31T02:00:00+01:00"], [first.Text("localStartsAt"), second.Text("localStartsAt")]);
    }
}
