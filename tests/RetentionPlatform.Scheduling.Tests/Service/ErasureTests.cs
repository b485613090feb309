using System.Net;
using System.Text.Json;
using RetentionPlatform.EventBus;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Testing;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>A <c>customer_erased</c> event cancels the customer's upcoming appointments, anonymises the rest and withdraws their reminders.</summary>
public sealed class ErasureTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    private static EventEnvelope Erased(string tenant, string customer)
    {
        var id = $"evt-{Guid.NewGuid():N}";
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { eventId = id, type = "customer_erased", customerId = customer, properties = new { } });
        return new EventEnvelope(id, "customer_erased", tenant, customer, DateTimeOffset.UtcNow, 1, payload);
    }

    private static bool Absent(JsonElement element, string name) => !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private async Task<List<(string BookingId, DateTime DueAt, DateTime? PublishedAt)>> OutboxRowsAsync(string customer, string type)
    {
        await using var command = _host.Database.CreateCommand(
            "select coalesce(booking_id, ''), due_at, published_at from scheduling.outbox where tenant_id = $1 and customer_id = $2 and event_type = $3");
        command.Parameters.Add(new() { Value = _tenant });
        command.Parameters.Add(new() { Value = customer });
        command.Parameters.Add(new() { Value = type });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, DateTime, DateTime?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2)));
        }

        return rows;
    }

    [Fact]
    public async Task ErasureCancelsUpcomingAppointmentsAnonymisesPastOnesAndWithdrawsPendingReminders()
    {
        // A one-minute appointment starting at the next whole minute becomes the customer's past one; the upcoming
        // ones have a reminder due 30 s after that start, by when the erasure is done.
        var pastStart = StartAfter(TimeSpan.FromSeconds(5));
        var due = pastStart.AddSeconds(30);
        var futureStart = StartAfter(due - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var offset = (long)(futureStart - due).TotalSeconds;
        await AlwaysOpenAsync(_host, _tenant, duration: "PT5M", reminderOffsets: [$"PT{offset}S"]);
        await ServiceAsync(_host, _tenant, "quick", new { name = "Quick", duration = "PT1M", resourceIds = Ids("r1"), minimumNotice = "PT0S", reminderOffsets = Array.Empty<string>() });
        var past = (await BookAsync(_host, _tenant, new
        {
            serviceId = "quick", customerId = "c-gone", startsAt = Iso(pastStart), notes = "allergic to nuts", customerTimeZone = "Europe/London", clientKey = "gone-1",
        })).Text("bookingId");
        var upcoming = (await BookAsync(_host, _tenant, new { serviceId = "svc", resourceId = "r1", customerId = "c-gone", startsAt = Iso(futureStart), notes = "call me" })).Text("bookingId");
        var other = (await BookAsync(_host, _tenant, new { serviceId = "svc", resourceId = "r2", customerId = "c-stays", startsAt = Iso(futureStart) })).Text("bookingId");
        Assert.Single(await OutboxRowsAsync("c-gone", AppointmentEventTypes.ReminderDue));
        await Eventually.GetAsync(async () =>
        {
            using var response = await _host.PostAsync($"/v1/scheduling/bookings/{past}/complete", _tenant, null);
            return response.StatusCode;
        }, status => status == HttpStatusCode.OK, "the first appointment to start and be completed", TimeSpan.FromSeconds(90));

        await _host.PublishAsync(EventTopics.CustomerEvents, Erased(_tenant, "c-gone"));
        var cancelled = await Eventually.GetAsync(() => GetBookingAsync(_host, _tenant, upcoming), b => b.Text("status") == "cancelled", "the erasure to cancel the upcoming appointment");
        Assert.True(DateTimeOffset.UtcNow < due, "The erasure took longer than the reminder's lead; the test could not tell a withdrawn reminder from a sent one.");

        Assert.Equal("erased", cancelled.Text("customerId"));
        Assert.True(Absent(cancelled, "notes"), $"The cancelled booking kept its notes: {cancelled}");
        var anonymised = await GetBookingAsync(_host, _tenant, past);
        Assert.Equal("erased", anonymised.Text("customerId"));
        Assert.Equal("completed", anonymised.Text("status"));
        Assert.True(Absent(anonymised, "notes"), $"The past booking kept its notes: {anonymised}");
        Assert.True(Absent(anonymised, "customerTimeZone"), $"The past booking kept the customer's zone: {anonymised}");
        Assert.True(Absent(anonymised, "clientKey"), $"The past booking kept its client key: {anonymised}");
        using (var list = await _host.GetAsync("/v1/scheduling/bookings?customerId=c-gone", _tenant))
        {
            Assert.Empty((await ExpectAsync(list, HttpStatusCode.OK)).GetProperty("bookings").EnumerateArray());
        }

        Assert.Empty(await OutboxRowsAsync("c-gone", AppointmentEventTypes.ReminderDue));
        Assert.Equal("booked", (await GetBookingAsync(_host, _tenant, other)).Text("status"));

        // The other customer's reminder, due at the same moment, is the signal that the erased one would have gone too.
        await AppointmentEventsTopic.WaitForAsync(_tenant, e => e.Is(AppointmentEventTypes.ReminderDue, other), "the other customer's reminder", TimeSpan.FromSeconds(60));
        await Eventually.GetAsync(() => OutboxRowsAsync("c-stays", AppointmentEventTypes.ReminderDue), rows => rows.All(r => r.PublishedAt is not null), "the other reminder to be marked sent");
        var events = AppointmentEventsTopic.Read(_tenant);
        Assert.DoesNotContain(events, e => e.Type == AppointmentEventTypes.ReminderDue && e["appointmentId"] == upcoming);
        Assert.DoesNotContain(events, e => e.Type == AppointmentEventTypes.ReminderDue && e.Envelope.CustomerId == "c-gone");
    }
}
