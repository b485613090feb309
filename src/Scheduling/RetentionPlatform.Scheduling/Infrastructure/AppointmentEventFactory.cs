using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>
/// Builds the outbox rows of appointment events. The payload has the same shape as an ingested customer event
/// (<c>{"properties": {...}}</c>), so the Profiles service applies it like one: <c>appointmentId</c> and
/// <c>startsAt</c> are what the profile reads; the rest (service, resource, local times in the business's and the
/// customer's zones) is what a reminder or a feedback request needs to say.
/// </summary>
public static class AppointmentEventFactory
{
    private static readonly OffsetDateTimePattern LocalPattern = OffsetDateTimePattern.Rfc3339;

    public static OutboxEvent Lifecycle(string type, Booking booking, TenantSchedule schedule, Instant now, IReadOnlyDictionary<string, object?>? extra = null) =>
        Event(type, booking, schedule, now, expiresAt: null, extra);

    /// <summary>One <c>appointment_reminder_due</c> per offset still in the future, due at start minus the offset.</summary>
    public static IEnumerable<OutboxEvent> Reminders(Booking booking, ServiceDefinition? service, TenantSchedule schedule, Instant now)
    {
        foreach (var offset in (service?.Policy ?? BookingPolicy.Default).ReminderOffsets)
        {
            var due = booking.Start - offset;
            if (due > now)
            {
                yield return Event(AppointmentEventTypes.ReminderDue, booking, schedule, due, booking.Start,
                    new Dictionary<string, object?> { ["reminderOffset"] = IsoDuration.Format(offset) });
            }
        }
    }

    /// <summary>The offer of a freed slot to a waiting customer.</summary>
    public static OutboxEvent SlotOffered(WaitlistEntry entry, ServiceDefinition service, Resource resource, Instant start, TenantSchedule schedule, Instant now)
    {
        var zone = schedule.Locations.GetValueOrDefault(resource.LocationId)?.Zone ?? DateTimeZone.Utc;
        var properties = new Dictionary<string, object?>
        {
            ["waitlistEntryId"] = entry.EntryId,
            ["serviceId"] = service.ServiceId,
            ["serviceName"] = service.Name,
            ["resourceId"] = resource.ResourceId,
            ["resourceName"] = resource.Name,
            ["locationId"] = resource.LocationId,
            ["startsAt"] = InstantPattern.ExtendedIso.Format(start),
            ["endsAt"] = InstantPattern.ExtendedIso.Format(start + service.Duration),
            ["timeZone"] = zone.Id,
            ["localStartsAt"] = LocalPattern.Format(start.InZone(zone).ToOffsetDateTime()),
        };
        return new OutboxEvent(entry.CustomerId, null, NewEventId(), AppointmentEventTypes.SlotOffered, now, now, start, Payload(properties));
    }

    private static OutboxEvent Event(string type, Booking booking, TenantSchedule schedule, Instant due, Instant? expiresAt, IReadOnlyDictionary<string, object?>? extra)
    {
        var service = schedule.Services.GetValueOrDefault(booking.ServiceId);
        var resource = schedule.Resources.GetValueOrDefault(booking.ResourceId);
        var zone = schedule.Locations.GetValueOrDefault(booking.LocationId)?.Zone ?? DateTimeZone.Utc;
        var properties = new Dictionary<string, object?>
        {
            ["appointmentId"] = booking.BookingId,
            ["serviceId"] = booking.ServiceId,
            ["serviceName"] = service?.Name,
            ["resourceId"] = booking.ResourceId,
            ["resourceName"] = resource?.Name,
            ["locationId"] = booking.LocationId,
            ["startsAt"] = InstantPattern.ExtendedIso.Format(booking.Start),
            ["endsAt"] = InstantPattern.ExtendedIso.Format(booking.End),
            ["timeZone"] = zone.Id,
            ["localStartsAt"] = LocalPattern.Format(booking.Start.InZone(zone).ToOffsetDateTime()),
            ["status"] = BookingStatusText.Of(booking.Status),
        };
        if (booking.CustomerTimeZone is { } customerZoneId && DateTimeZoneProviders.Tzdb.GetZoneOrNull(customerZoneId) is { } customerZone)
        {
            properties["customerTimeZone"] = customerZone.Id;
            properties["customerLocalStartsAt"] = LocalPattern.Format(booking.Start.InZone(customerZone).ToOffsetDateTime());
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            properties[key] = value;
        }

        // A reminder "occurs" when it is due; a change when it is made (then both are now).
        return new OutboxEvent(booking.CustomerId, booking.BookingId, NewEventId(), type, due, due, expiresAt, Payload(properties));
    }

    private static string Payload(Dictionary<string, object?> properties) =>
        JsonSerializer.Serialize(new { properties = properties.Where(p => p.Value is not null).ToDictionary() }, SchedulingJson.Options);

    private static string NewEventId() => $"sch-{Guid.CreateVersion7():N}";
}
