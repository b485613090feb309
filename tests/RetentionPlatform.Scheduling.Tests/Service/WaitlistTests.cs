using System.Globalization;
using System.Net;
using NodaTime;
using RetentionPlatform.EventBus;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>A customer waiting for a full day is offered the slot a cancellation frees.</summary>
public sealed class WaitlistTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    [Fact]
    public async Task ACancellationOffersTheFreedSlotToTheCustomerWaitingForThatDay()
    {
        // Anna takes one customer a day, 09:00-10:00 Berlin time.
        await LocationAsync(_host, _tenant, "main", "Europe/Berlin");
        await ResourceAsync(_host, _tenant, "anna", "main", Hours("09:00", "10:00"));
        await ServiceAsync(_host, _tenant, "cut", new { name = "Cut", duration = "PT60M", resourceIds = Ids("anna"), reminderOffsets = Array.Empty<string>() });
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var date = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.PlusDays(3);
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var start = zone.AtStrictly(date.At(new LocalTime(9, 0))).ToDateTimeOffset();
        var taken = (await BookAsync(_host, _tenant, new { serviceId = "cut", customerId = "c-a", startsAt = Iso(start) })).Text("bookingId");
        using (var full = await _host.GetAsync($"/v1/scheduling/availability?serviceId=cut&from={day}&to={day}", _tenant))
        {
            Assert.Empty((await ExpectAsync(full, HttpStatusCode.OK)).GetProperty("slots").EnumerateArray());
        }

        using var join = await _host.PostAsync("/v1/scheduling/waitlist", _tenant, new { customerId = "c-b", serviceId = "cut", date = day });
        var entry = await ExpectAsync(join, HttpStatusCode.Created);
        Assert.Equal("waiting", entry.Text("status"));
        using (var cancel = await _host.PostAsync($"/v1/scheduling/bookings/{taken}/cancel", _tenant, new { by = "business", reason = "stylist ill" }))
        {
            await ExpectAsync(cancel, HttpStatusCode.OK);
        }

        using var read = await _host.GetAsync($"/v1/scheduling/waitlist/{entry.Text("entryId")}", _tenant);
        var offered = await ExpectAsync(read, HttpStatusCode.OK);
        var events = await AppointmentEventsTopic.WaitForAsync(_tenant, e => e.Type == AppointmentEventTypes.SlotOffered, "the slot offer");

        Assert.Equal("offered", offered.Text("status"));
        Assert.Equal(start, offered.GetProperty("offeredStartsAt").GetDateTimeOffset());
        Assert.Equal("anna", offered.Text("offeredResourceId"));
        var offer = Assert.Single(events, e => e.Type == AppointmentEventTypes.SlotOffered);
        Assert.Equal(EventEnvelope.KeyFor(_tenant, "c-b"), offer.Key);
        Assert.Equal("c-b", offer.Envelope.CustomerId);
        Assert.Equal(entry.Text("entryId"), offer["waitlistEntryId"]);
        Assert.Equal(Iso(start), offer["startsAt"]);
        Assert.Equal("cut", offer["serviceId"]);

        // Taking the offer closes the entry.
        await BookAsync(_host, _tenant, new { serviceId = "cut", customerId = "c-b", startsAt = Iso(start) });
        using var after = await _host.GetAsync($"/v1/scheduling/waitlist/{entry.Text("entryId")}", _tenant);
        Assert.Equal("booked", (await ExpectAsync(after, HttpStatusCode.OK)).Text("status"));
    }
}
