using System.Net;
using NodaTime;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>What a caller can get wrong over REST gets a specific ProblemDetails answer naming the field, and changes nothing.</summary>
public sealed class BadInputTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    /// <summary>Anna works 09:00-17:00 in Berlin every day; "cut" takes 30 minutes.</summary>
    private async Task DayBusinessAsync()
    {
        await LocationAsync(_host, _tenant, "main", "Europe/Berlin");
        await ResourceAsync(_host, _tenant, "anna", "main", Hours("09:00", "17:00"));
        await ServiceAsync(_host, _tenant, "cut", new { name = "Cut", duration = "PT30M", resourceIds = Ids("anna"), reminderOffsets = Array.Empty<string>() });
    }

    /// <summary>A Berlin wall-clock time a few days ahead, with its offset.</summary>
    private static string BerlinTime(int hour, int minute = 0)
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var date = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.PlusDays(3);
        return Iso(zone.AtStrictly(date.At(new LocalTime(hour, minute))).ToDateTimeOffset());
    }

    private async Task<long> BookingCountAsync()
    {
        await using var command = _host.Database.CreateCommand("select count(*) from scheduling.bookings where tenant_id = $1");
        command.Parameters.Add(new() { Value = _tenant });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task TimeOffThatEndsBeforeItStartsIsRejectedNamingEndsAt()
    {
        await DayBusinessAsync();

        using var response = await _host.PostAsync("/v1/scheduling/resources/anna/time-off", _tenant,
            new { startsAt = "2027-01-10T10:00:00+01:00", endsAt = "2027-01-10T09:00:00+01:00", reason = "dentist" });

        await ExpectInvalidFieldAsync(response, "endsAt");
        using var resource = await _host.GetAsync("/v1/scheduling/resources/anna", _tenant);
        Assert.Empty((await ExpectAsync(resource, HttpStatusCode.OK)).GetProperty("timeOff").EnumerateArray());
    }

    [Fact]
    public async Task AnAvailabilityRangeThatEndsBeforeItStartsIsRejectedNamingTo()
    {
        await DayBusinessAsync();

        using var response = await _host.GetAsync("/v1/scheduling/availability?serviceId=cut&from=2027-01-10&to=2027-01-09", _tenant);

        await ExpectInvalidFieldAsync(response, "to");
    }

    [Fact]
    public async Task BookingAnUnknownServiceIsRejectedNamingServiceId()
    {
        await DayBusinessAsync();

        using var response = await _host.PostAsync("/v1/scheduling/bookings", _tenant, new { serviceId = "massage", customerId = "c-1", startsAt = BerlinTime(10) });

        await ExpectInvalidFieldAsync(response, "serviceId");
        Assert.Equal(0, await BookingCountAsync());
    }

    [Fact]
    public async Task BookingOutsideWorkingHoursIsRefusedWith422()
    {
        await DayBusinessAsync();

        using var evening = await _host.PostAsync("/v1/scheduling/bookings", _tenant, new { serviceId = "cut", customerId = "c-1", startsAt = BerlinTime(20) });
        using var overlappingTheEnd = await _host.PostAsync("/v1/scheduling/bookings", _tenant, new { serviceId = "cut", customerId = "c-1", startsAt = BerlinTime(16, 45) });

        var problem = await ExpectProblemAsync(evening, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("working hours", problem.Text("detail"), StringComparison.Ordinal);
        await ExpectProblemAsync(overlappingTheEnd, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await BookingCountAsync());
    }

    [Fact]
    public async Task AnUnknownBookingIsNotFound()
    {
        await DayBusinessAsync();

        using var get = await _host.GetAsync("/v1/scheduling/bookings/bk-nope", _tenant);
        using var cancel = await _host.PostAsync("/v1/scheduling/bookings/bk-nope/cancel", _tenant, new { by = "business" });
        using var reschedule = await _host.PostAsync("/v1/scheduling/bookings/bk-nope/reschedule", _tenant, new { startsAt = BerlinTime(10), by = "business" });

        await ExpectProblemAsync(get, HttpStatusCode.NotFound);
        await ExpectProblemAsync(cancel, HttpStatusCode.NotFound);
        await ExpectProblemAsync(reschedule, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnUnknownBodyFieldIsRejectedNamingIt()
    {
        await DayBusinessAsync();

        using var response = await _host.PostAsync("/v1/scheduling/bookings", _tenant, new { serviceId = "cut", customerId = "c-1", startsAt = BerlinTime(10), colour = "red" });

        await ExpectInvalidFieldAsync(response, "colour");
        Assert.Equal(0, await BookingCountAsync());
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsAnUnsupportedMediaType()
    {
        await DayBusinessAsync();

        using var response = await _host.SendAsync(HttpMethod.Post, "/v1/scheduling/bookings", _tenant,
            $$"""{"serviceId":"cut","customerId":"c-1","startsAt":"{{BerlinTime(10)}}"}""", contentType: "text/plain");

        await ExpectProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await BookingCountAsync());
    }

    [Fact]
    public async Task AStartWithoutAnOffsetIsRejectedNamingStartsAt()
    {
        await DayBusinessAsync();

        using var response = await _host.PostAsync("/v1/scheduling/bookings", _tenant, new { serviceId = "cut", customerId = "c-1", startsAt = BerlinTime(10)[..19] });

        var problem = await ExpectInvalidFieldAsync(response, "startsAt");
        Assert.Contains("offset", problem.GetProperty("errors").GetProperty("startsAt")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await BookingCountAsync());
    }
}
