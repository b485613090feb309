using System.Net;
using RetentionPlatform.EventBus;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Testing;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>Every change of an appointment is published to <c>retention.appointment-events.v1</c> in the shape of a customer event.</summary>
public sealed class AppointmentEventTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    [Fact]
    public async Task BookingReschedulingAndCancellingPublishEventsWithTheAppointmentAndItsStart()
    {
        await AlwaysOpenAsync(_host, _tenant);
        var start = StartAfter(TimeSpan.FromHours(3));
        var moved = start.AddHours(1);

        var id = (await BookAsync(_host, _tenant, new { serviceId = "svc", customerId = "c-1", startsAt = Iso(start) })).Text("bookingId");
        using (var reschedule = await _host.PostAsync($"/v1/scheduling/bookings/{id}/reschedule", _tenant, new { startsAt = Iso(moved) }))
        {
            Assert.Equal(moved, (await ExpectAsync(reschedule, HttpStatusCode.OK)).GetProperty("startsAt").GetDateTimeOffset());
        }

        using (var cancel = await _host.PostAsync($"/v1/scheduling/bookings/{id}/cancel", _tenant, new { reason = "ill" }))
        {
            Assert.Equal("cancelled", (await ExpectAsync(cancel, HttpStatusCode.OK)).Text("status"));
        }

        var events = await AppointmentEventsTopic.WaitForAsync(_tenant, e => e.Is(AppointmentEventTypes.Cancelled, id), "the cancellation event");

        var booked = Assert.Single(events, e => e.Type == AppointmentEventTypes.Booked);
        var rescheduled = Assert.Single(events, e => e.Type == AppointmentEventTypes.Rescheduled);
        var cancelled = Assert.Single(events, e => e.Type == AppointmentEventTypes.Cancelled);
        Assert.All([booked, rescheduled, cancelled], e =>
        {
            Assert.Equal(id, e["appointmentId"]);
            Assert.Equal(EventEnvelope.KeyFor(_tenant, "c-1"), e.Key);
            Assert.Equal("c-1", e.Envelope.CustomerId);
            Assert.Equal("svc", e["serviceId"]);
        });
        Assert.Equal(Iso(start), booked["startsAt"]);
        Assert.Equal("booked", booked["status"]);
        Assert.Equal(Iso(moved), rescheduled["startsAt"]);
        Assert.Equal(Iso(start), rescheduled["previousStartsAt"]);
        Assert.Equal("customer", rescheduled["rescheduledBy"]);
        Assert.Equal(Iso(moved), cancelled["startsAt"]);
        Assert.Equal("ill", cancelled["reason"]);
        Assert.Equal("cancelled", cancelled["status"]);
        // One customer's events keep their order (one key, one partition).
        Assert.True(events.IndexOf(booked) < events.IndexOf(rescheduled) && events.IndexOf(rescheduled) < events.IndexOf(cancelled));
    }

    [Fact]
    public async Task CompletingAndMarkingANoShowAreRefusedBeforeTheStartAndPublishedAfterIt()
    {
        await AlwaysOpenAsync(_host, _tenant, duration: "PT5M");
        var start = StartAfter(TimeSpan.FromSeconds(5));
        var attended = (await BookAsync(_host, _tenant, new { serviceId = "svc", customerId = "c-came", startsAt = Iso(start) })).Text("bookingId");
        var missed = (await BookAsync(_host, _tenant, new { serviceId = "svc", customerId = "c-missed", startsAt = Iso(start) })).Text("bookingId");

        using (var early = await _host.PostAsync($"/v1/scheduling/bookings/{attended}/complete", _tenant, null))
        {
            Assert.True(DateTimeOffset.UtcNow < start, "The appointment started before the test could try completing it early.");
            Assert.Contains("started", (await ExpectProblemAsync(early, HttpStatusCode.UnprocessableEntity)).Text("detail"), StringComparison.Ordinal);
        }

        // The appointment starts at the next whole minute: ask until the service agrees it has started.
        await Eventually.GetAsync(async () =>
        {
            using var response = await _host.PostAsync($"/v1/scheduling/bookings/{attended}/complete", _tenant, null);
            return response.StatusCode;
        }, status => status == HttpStatusCode.OK, "the appointment to start and be completed", TimeSpan.FromSeconds(90));
        using (var noShow = await _host.PostAsync($"/v1/scheduling/bookings/{missed}/no-show", _tenant, null))
        {
            Assert.Equal("no_show", (await ExpectAsync(noShow, HttpStatusCode.OK)).Text("status"));
        }

        await AppointmentEventsTopic.WaitForAsync(_tenant, e => e.Is(AppointmentEventTypes.Completed, attended), "the completion event");
        var events = await AppointmentEventsTopic.WaitForAsync(_tenant, e => e.Is(AppointmentEventTypes.NoShow, missed), "the no-show event");

        var completed = Assert.Single(events, e => e.Type == AppointmentEventTypes.Completed);
        var noShowEvent = Assert.Single(events, e => e.Type == AppointmentEventTypes.NoShow);
        Assert.Equal((attended, Iso(start), "completed"), (completed["appointmentId"], completed["startsAt"], completed["status"]));
        Assert.Equal((missed, Iso(start), "no_show"), (noShowEvent["appointmentId"], noShowEvent["startsAt"], noShowEvent["status"]));
        Assert.Equal(EventEnvelope.KeyFor(_tenant, "c-missed"), noShowEvent.Key);
        Assert.Equal("completed", (await GetBookingAsync(_host, _tenant, attended)).Text("status"));
        Assert.Equal("no_show", (await GetBookingAsync(_host, _tenant, missed)).Text("status"));
    }
}
