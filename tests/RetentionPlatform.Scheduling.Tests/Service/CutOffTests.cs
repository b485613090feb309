using System.Net;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>Cut-offs bind the customer's self-service, never the business's front desk.</summary>
public sealed class CutOffTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    /// <summary>An appointment about two hours ahead, of a service that customers may change only until 24 hours before.</summary>
    private async Task<(string BookingId, DateTimeOffset Start)> BookTwoHoursAheadAsync(string customer)
    {
        await AlwaysOpenAsync(_host, _tenant, cancellationCutoff: "PT24H", rescheduleCutoff: "PT24H");
        var start = StartAfter(TimeSpan.FromHours(2));
        var booking = await BookAsync(_host, _tenant, new { serviceId = "svc", resourceId = "r1", customerId = customer, startsAt = Iso(start) });
        return (booking.Text("bookingId"), start);
    }

    [Fact]
    public async Task ACustomerCannotCancelInsideTheCutOffButTheBusinessCan()
    {
        var (id, _) = await BookTwoHoursAheadAsync("c-late");

        using var byCustomer = await _host.PostAsync($"/v1/scheduling/bookings/{id}/cancel", _tenant, new { reason = "busy", by = "customer" });
        var refused = await ExpectProblemAsync(byCustomer, HttpStatusCode.UnprocessableEntity);
        using var withoutBody = await _host.PostAsync($"/v1/scheduling/bookings/{id}/cancel", _tenant, null);
        await ExpectProblemAsync(withoutBody, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("booked", (await GetBookingAsync(_host, _tenant, id)).Text("status"));
        using var byBusiness = await _host.PostAsync($"/v1/scheduling/bookings/{id}/cancel", _tenant, new { reason = "busy", by = "business" });
        var cancelled = await ExpectAsync(byBusiness, HttpStatusCode.OK);

        Assert.Contains("contact the business", refused.Text("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("cancelled", cancelled.Text("status"));
        Assert.Equal("busy", cancelled.Text("cancelReason"));
        Assert.Equal("cancelled", (await GetBookingAsync(_host, _tenant, id)).Text("status"));
    }

    [Fact]
    public async Task ACustomerCannotRescheduleInsideTheCutOffButTheBusinessCan()
    {
        var (id, start) = await BookTwoHoursAheadAsync("c-move");
        var later = start.AddMinutes(30);

        using var byCustomer = await _host.PostAsync($"/v1/scheduling/bookings/{id}/reschedule", _tenant, new { startsAt = Iso(later) });
        var refused = await ExpectProblemAsync(byCustomer, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(start, (await GetBookingAsync(_host, _tenant, id)).GetProperty("startsAt").GetDateTimeOffset());
        using var byBusiness = await _host.PostAsync($"/v1/scheduling/bookings/{id}/reschedule", _tenant, new { startsAt = Iso(later), by = "business" });
        var moved = await ExpectAsync(byBusiness, HttpStatusCode.OK);

        Assert.Contains("contact the business", refused.Text("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(later, moved.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal("booked", moved.Text("status"));
        Assert.Equal(later, (await GetBookingAsync(_host, _tenant, id)).GetProperty("startsAt").GetDateTimeOffset());
    }
}
