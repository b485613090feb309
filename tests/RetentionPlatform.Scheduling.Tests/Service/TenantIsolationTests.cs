using System.Globalization;
using System.Net;
using NodaTime;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>One tenant never sees or blocks another's schedule and bookings, even with the same ids.</summary>
public sealed class TenantIsolationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenantA = NewTenant();
    private readonly string _tenantB = NewTenant();

    private async Task<List<DateTimeOffset>> FreeStartsAsync(string tenant, DateTimeOffset around)
    {
        var day = Instant.FromDateTimeOffset(around).InZone(DateTimeZoneProviders.Tzdb["Europe/Berlin"]).Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var response = await _host.GetAsync($"/v1/scheduling/availability?serviceId=svc&resourceId=r1&from={day}&to={day}", tenant);
        var availability = await ExpectAsync(response, HttpStatusCode.OK);
        return [.. availability.GetProperty("slots").EnumerateArray().Select(s => DateTimeOffset.Parse(s.Text("startsAt"), CultureInfo.InvariantCulture))];
    }

    [Fact]
    public async Task AnotherTenantCannotReadOrCancelABookingNorSeeTheSchedule()
    {
        await AlwaysOpenAsync(_host, _tenantA);
        var start = StartAfter(TimeSpan.FromHours(3));
        var id = (await BookAsync(_host, _tenantA, new { serviceId = "svc", resourceId = "r1", customerId = "c-1", startsAt = Iso(start) })).Text("bookingId");

        using var read = await _host.GetAsync($"/v1/scheduling/bookings/{id}", _tenantB);
        using var cancel = await _host.PostAsync($"/v1/scheduling/bookings/{id}/cancel", _tenantB, new { by = "business" });
        using var availability = await _host.GetAsync("/v1/scheduling/availability?serviceId=svc&from=2027-01-10&to=2027-01-10", _tenantB);
        using var services = await _host.GetAsync("/v1/scheduling/services", _tenantB);
        using var list = await _host.GetAsync("/v1/scheduling/bookings?customerId=c-1", _tenantB);

        await ExpectProblemAsync(read, HttpStatusCode.NotFound);
        await ExpectProblemAsync(cancel, HttpStatusCode.NotFound);
        await ExpectInvalidFieldAsync(availability, "serviceId");
        Assert.Empty((await ExpectAsync(services, HttpStatusCode.OK)).GetProperty("services").EnumerateArray());
        Assert.Empty((await ExpectAsync(list, HttpStatusCode.OK)).GetProperty("bookings").EnumerateArray());
        Assert.Equal("booked", (await GetBookingAsync(_host, _tenantA, id)).Text("status"));
    }

    [Fact]
    public async Task ATenantWithTheSameIdsSeesItsOwnFreeSlotsNotTheOtherTenantsBookings()
    {
        await AlwaysOpenAsync(_host, _tenantA);
        await AlwaysOpenAsync(_host, _tenantB);
        var start = StartAfter(TimeSpan.FromHours(3), everyMinutes: 5);
        await BookAsync(_host, _tenantA, new { serviceId = "svc", resourceId = "r1", customerId = "c-1", startsAt = Iso(start) });

        var freeForA = await FreeStartsAsync(_tenantA, start);
        var freeForB = await FreeStartsAsync(_tenantB, start);
        var booking = await BookAsync(_host, _tenantB, new { serviceId = "svc", resourceId = "r1", customerId = "c-1", startsAt = Iso(start) });

        Assert.DoesNotContain(start, freeForA);
        Assert.Contains(start, freeForB);
        Assert.Equal(start, booking.GetProperty("startsAt").GetDateTimeOffset());
        using var listB = await _host.GetAsync("/v1/scheduling/bookings?customerId=c-1", _tenantB);
        var onlyB = (await ExpectAsync(listB, HttpStatusCode.OK)).GetProperty("bookings").EnumerateArray().ToList();
        Assert.Equal(booking.Text("bookingId"), Assert.Single(onlyB).Text("bookingId"));
    }
}
