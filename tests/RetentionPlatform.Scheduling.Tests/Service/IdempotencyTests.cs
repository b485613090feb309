using System.Net;
using System.Text.Json;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>A booking request carrying a client key is safe to retry: the same request gets the same booking, another request with the key a conflict.</summary>
public sealed class IdempotencyTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    private async Task<List<string>> BookingIdsAsync()
    {
        await using var command = _host.Database.CreateCommand("select booking_id from scheduling.bookings where tenant_id = $1");
        command.Parameters.Add(new() { Value = _tenant });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    [Fact]
    public async Task RepeatingARequestWithItsClientKeyReturnsTheSameBookingWith200()
    {
        await AlwaysOpenAsync(_host, _tenant);
        var body = new { serviceId = "svc", resourceId = "r1", customerId = "c-1", startsAt = Iso(StartAfter(TimeSpan.FromHours(5))), notes = "window seat", clientKey = "till-7-0815" };

        using var first = await _host.PostAsync("/v1/scheduling/bookings", _tenant, body);
        var created = await ExpectAsync(first, HttpStatusCode.Created);
        using var again = await _host.PostAsync("/v1/scheduling/bookings", _tenant, body);
        var replayed = await ExpectAsync(again, HttpStatusCode.OK);

        Assert.Equal(created.Text("bookingId"), replayed.Text("bookingId"));
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("till-7-0815", replayed.Text("clientKey"));
        Assert.Equal([created.Text("bookingId")], await BookingIdsAsync());
        var events = await AppointmentEventsTopic.WaitForAsync(_tenant, e => e.Is(AppointmentEventTypes.Booked, created.Text("bookingId")), "the booking event");
        Assert.Single(events, e => e.Type == AppointmentEventTypes.Booked);
    }

    [Fact]
    public async Task AClientKeyReusedForADifferentBookingIsAConflict()
    {
        await AlwaysOpenAsync(_host, _tenant);
        var start = StartAfter(TimeSpan.FromHours(5));
        var created = await BookAsync(_host, _tenant, new { serviceId = "svc", resourceId = "r1", customerId = "c-1", startsAt = Iso(start), clientKey = "web-7f3a" });

        using var other = await _host.PostAsync("/v1/scheduling/bookings", _tenant,
            new { serviceId = "svc", resourceId = "r1", customerId = "c-1", startsAt = Iso(start.AddHours(1)), clientKey = "web-7f3a" });

        var problem = await ExpectProblemAsync(other, HttpStatusCode.Conflict);
        Assert.Contains(created.Text("bookingId"), problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal([created.Text("bookingId")], await BookingIdsAsync());
        Assert.Equal(start, (await GetBookingAsync(_host, _tenant, created.Text("bookingId"))).GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task RetriesRacingTheFirstRequestWithOneClientKeyAllGetTheOneBooking()
    {
        await AlwaysOpenAsync(_host, _tenant);
        var body = new { serviceId = "svc", resourceId = "r1", customerId = "c-1", startsAt = Iso(StartAfter(TimeSpan.FromHours(6))), clientKey = "flaky-till-1" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await _host.PostAsync("/v1/scheduling/bookings", _tenant, body);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, Body: JsonDocument.Parse(text).RootElement.Clone());
        }));

        var ids = await BookingIdsAsync();
        var id = Assert.Single(ids);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a =>
        {
            Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"A retry got {(int)a.StatusCode}: {a.Body}");
            Assert.Equal(id, a.Body.Text("bookingId"));
        });
    }
}
