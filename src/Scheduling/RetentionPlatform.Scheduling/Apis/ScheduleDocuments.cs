using NodaTime;
using NodaTime.Text;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A location as answered: holidays as <c>YYYY-MM-DD</c>.</summary>
public sealed record LocationDocument(string LocationId, string Name, string TimeZone, IReadOnlyList<string> Holidays)
{
    public static LocationDocument From(Location l) =>
        new(l.LocationId, l.Name, l.Zone.Id, [.. l.Holidays.Order().Select(d => LocalDatePattern.Iso.Format(d))]);
}

/// <summary>A resource as answered, with its time off.</summary>
public sealed record ResourceDocument(
    string ResourceId, string LocationId, string Name, string Kind, Dictionary<string, List<WorkingHoursText>> WorkingHours, IReadOnlyList<TimeOffDocument> TimeOff)
{
    public static ResourceDocument From(Resource r, TenantSchedule schedule) =>
        new(r.ResourceId, r.LocationId, r.Name, r.Kind, r.Hours.ToText(), [.. schedule.TimeOff[r.ResourceId].OrderBy(t => t.Interval.Start).Select(TimeOffDocument.From)]);
}

/// <summary>A resource's time off as answered.</summary>
public sealed record TimeOffDocument(string TimeOffId, string ResourceId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Reason)
{
    public static TimeOffDocument From(TimeOff t) =>
        new(t.TimeOffId, t.ResourceId, t.Interval.Start.ToDateTimeOffset(), t.Interval.End.ToDateTimeOffset(), t.Reason);
}

/// <summary>A service as answered: durations as ISO 8601.</summary>
public sealed record ServiceDocument(
    string ServiceId,
    string Name,
    string Duration,
    string BufferBefore,
    string BufferAfter,
    IReadOnlyList<string> ResourceIds,
    decimal? Price,
    string? Currency,
    string MinimumNotice,
    string BookingHorizon,
    string CancellationCutoff,
    string RescheduleCutoff,
    string SlotStep,
    IReadOnlyList<string> ReminderOffsets)
{
    public static ServiceDocument From(ServiceDefinition s) => new(
        s.ServiceId, s.Name, IsoDuration.Format(s.Duration), IsoDuration.Format(s.BufferBefore), IsoDuration.Format(s.BufferAfter), s.ResourceIds,
        s.Price, s.Currency, IsoDuration.Format(s.Policy.MinimumNotice), IsoDuration.Format(s.Policy.BookingHorizon),
        IsoDuration.Format(s.Policy.CancellationCutoff), IsoDuration.Format(s.Policy.RescheduleCutoff), IsoDuration.Format(s.Policy.SlotStep),
        [.. s.Policy.ReminderOffsets.Select(IsoDuration.Format)]);
}

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

/// <summary>Free slots as answered.</summary>
public sealed record AvailabilityDocument(string ServiceId, string TimeZone, IReadOnlyList<SlotDocument> Slots)
{
    public static AvailabilityDocument From(AvailabilityResult result) => new(
        result.Service.ServiceId,
        result.TimeZone.Id,
        [.. result.Slots.Select(s => new SlotDocument(BookingDocument.Local(s.Start, result.TimeZone), BookingDocument.Local(s.End, result.TimeZone), s.ResourceIds))]);
}

/// <summary>A free start: local times with their offset in the answer's zone (each names its instant exactly).</summary>
public sealed record SlotDocument(string StartsAt, string EndsAt, IReadOnlyList<string> ResourceIds);

/// <summary>A waitlist entry as answered.</summary>
public sealed record WaitlistDocument(
    string EntryId, string CustomerId, string ServiceId, string? ResourceId, DateTimeOffset WindowFrom, DateTimeOffset WindowUntil, string Status,
    DateTimeOffset? OfferedStartsAt, string? OfferedResourceId)
{
    public static WaitlistDocument From(WaitlistEntry e) => new(
        e.EntryId, e.CustomerId, e.ServiceId, e.ResourceId, e.Window.Start.ToDateTimeOffset(), e.Window.End.ToDateTimeOffset(), e.Status,
        e.OfferedStart?.ToDateTimeOffset(), e.OfferedResourceId);
}

/// <summary>A list of bookings.</summary>
public sealed record BookingList(IReadOnlyList<BookingDocument> Bookings);
