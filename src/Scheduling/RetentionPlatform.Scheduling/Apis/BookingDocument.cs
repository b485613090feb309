using NodaTime;
using NodaTime.Text;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>An appointment as answered: instants in UTC plus the local start in the location's and the customer's zones.</summary>
public sealed record BookingDocument(
    string BookingId,
    string ServiceId,
    string ResourceId,
    string LocationId,
    string CustomerId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string LocalStartsAt,
    string TimeZone,
    string? CustomerTimeZone,
    string? CustomerLocalStartsAt,
    string Status,
    string? Notes,
    string? ClientKey,
    string? CancelReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static BookingDocument From(Booking b, TenantSchedule schedule)
    {
        var zone = schedule.Locations.GetValueOrDefault(b.LocationId)?.Zone ?? DateTimeZone.Utc;
        var customerZone = b.CustomerTimeZone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(b.CustomerTimeZone);
        return new BookingDocument(
            b.BookingId, b.ServiceId, b.ResourceId, b.LocationId, b.CustomerId, b.Start.ToDateTimeOffset(), b.End.ToDateTimeOffset(),
            Local(b.Start, zone), zone.Id, b.CustomerTimeZone, customerZone is null ? null : Local(b.Start, customerZone),
            BookingStatusText.Of(b.Status), b.Notes, b.ClientKey, b.CancelReason, b.CreatedAt.ToDateTimeOffset(), b.UpdatedAt.ToDateTimeOffset());
    }

    public static string Local(Instant instant, DateTimeZone zone) => OffsetDateTimePattern.Rfc3339.Format(instant.InZone(zone).ToOffsetDateTime());
}
