using System.Net;
using System.Xml;
using RetentionPlatform.EventBus;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Testing;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>Reminders live in the PostgreSQL outbox, so one due while the service restarts still goes out, once, and never for a cancelled appointment.</summary>
public sealed class ReminderTests
{
    private static async Task<List<(DateTime DueAt, DateTime? PublishedAt, bool Dropped)>> ReminderRowsAsync(SchedulingServiceHost host, string tenant, string bookingId)
    {
        await using var command = host.Database.CreateCommand(
            "select due_at, published_at, dropped from scheduling.outbox where tenant_id = $1 and booking_id = $2 and event_type = $3");
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = bookingId });
        command.Parameters.Add(new() { Value = AppointmentEventTypes.ReminderDue });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(DateTime, DateTime?, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetDateTime(0), reader.IsDBNull(1) ? null : reader.GetDateTime(1), reader.GetBoolean(2)));
        }

        return rows;
    }

    [Fact]
    public async Task AReminderDueAfterARestartIsPublishedOnceAfterItsDueTimeAndACancelledAppointmentsNever()
    {
        var tenant = NewTenant();
        await using var first = await SchedulingServiceHost.StartAsync();
        SchedulingServiceHost? restarted = null;
        try
        {
            // One reminder offset, chosen so the reminder of an appointment a few minutes ahead is due 15 s from now.
            var start = StartAfter(TimeSpan.FromMinutes(2));
            var offset = TimeSpan.FromSeconds(Math.Round((start - (DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15))).TotalSeconds));
            await AlwaysOpenAsync(first, tenant, reminderOffsets: [$"PT{(long)offset.TotalSeconds}S"]);
            var kept = (await BookAsync(first, tenant, new { serviceId = "svc", customerId = "c-kept", startsAt = Iso(start) })).Text("bookingId");
            var cancelled = (await BookAsync(first, tenant, new { serviceId = "svc", customerId = "c-cancelled", startsAt = Iso(start) })).Text("bookingId");
            using (var cancel = await first.PostAsync($"/v1/scheduling/bookings/{cancelled}/cancel", tenant, new { by = "business", reason = "customer phoned" }))
            {
                await ExpectAsync(cancel, HttpStatusCode.OK);
            }

            await AppointmentEventsTopic.WaitForAsync(tenant, e => e.Is(AppointmentEventTypes.Cancelled, cancelled), "the cancellation to be published");
            await first.StopAsync();

            var pending = Assert.Single(await ReminderRowsAsync(first, tenant, kept));
            var dueAt = new DateTimeOffset(pending.DueAt, TimeSpan.Zero);
            Assert.Equal(start - offset, dueAt);
            Assert.True(DateTimeOffset.UtcNow < dueAt, $"The first host should have stopped before the reminder was due ({dueAt:O}); the machine was too slow for this test.");
            Assert.Null(pending.PublishedAt);
            Assert.Empty(await ReminderRowsAsync(first, tenant, cancelled));
            Assert.DoesNotContain(AppointmentEventsTopic.Read(tenant), e => e.Type == AppointmentEventTypes.ReminderDue);

            restarted = await SchedulingServiceHost.StartAsync(restartOf: first);
            await AppointmentEventsTopic.WaitForAsync(tenant, e => e.Is(AppointmentEventTypes.ReminderDue, kept), "the reminder after the restart", TimeSpan.FromSeconds(60));
            var seenAt = DateTimeOffset.UtcNow;
            var sent = await Eventually.GetAsync(() => ReminderRowsAsync(restarted, tenant, kept), rows => rows.Single().PublishedAt is not null, "the reminder to be marked sent");

            Assert.True(seenAt >= dueAt, $"The reminder due at {dueAt:O} was already on the topic at {seenAt:O}.");
            Assert.True(new DateTimeOffset(sent.Single().PublishedAt!.Value, TimeSpan.Zero) >= dueAt);
            Assert.False(sent.Single().Dropped);
            var events = AppointmentEventsTopic.Read(tenant);
            var reminder = Assert.Single(events, e => e.Type == AppointmentEventTypes.ReminderDue);
            Assert.Equal(kept, reminder["appointmentId"]);
            Assert.Equal(offset, XmlConvert.ToTimeSpan(reminder["reminderOffset"]!));
            Assert.Equal(Iso(start), reminder["startsAt"]);
            Assert.Equal(EventEnvelope.KeyFor(tenant, "c-kept"), reminder.Key);
            Assert.Equal("c-kept", reminder.Envelope.CustomerId);
            Assert.Empty(await ReminderRowsAsync(restarted, tenant, cancelled));
            Assert.DoesNotContain(events, e => e.Type == AppointmentEventTypes.ReminderDue && e["appointmentId"] == cancelled);
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }
}
