using System.Security.Cryptography;
using System.Text;
using NodaTime;
using RetentionPlatform.Scheduling.Infrastructure;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling;

/// <summary>
/// The Scheduling service's use cases, shared by REST and gRPC: availability, booking, rescheduling, cancellation,
/// completion and no-shows, and the waitlist. The schedule's rules are checked here; the database decides, atomically,
/// whether a resource is still free.
/// </summary>
public sealed class Scheduler(ScheduleStore schedules, BookingStore bookings, TimeProvider time)
{
    /// <summary>The longest range one availability search covers.</summary>
    public const int MaxSearchDays = 62;

    private Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());

    public async Task<SchedulingResult<AvailabilityResult>> SearchAsync(string tenantId, AvailabilityQuery query, CancellationToken ct)
    {
        if (query.To < query.From)
        {
            return SchedulingError.Invalid("to", $"The range ends ({query.To:yyyy-MM-dd}) before it starts ({query.From:yyyy-MM-dd}).");
        }

        if (Period.Between(query.From, query.To, PeriodUnits.Days).Days >= MaxSearchDays)
        {
            return SchedulingError.Invalid("to", $"Search at most {MaxSearchDays} days at once.");
        }

        var schedule = await schedules.GetAsync(tenantId, ct);
        if (FindService(schedule, query.ServiceId) is not { } service)
        {
            return UnknownService(query.ServiceId);
        }

        var resources = schedule.ResourcesFor(service);
        if (query.ResourceId is not null)
        {
            resources = [.. resources.Where(r => r.ResourceId == query.ResourceId)];
            if (resources.Count == 0)
            {
                return UnknownResource(query.ResourceId, service);
            }
        }

        var zone = query.TimeZone ?? (resources.Count > 0 ? schedule.Locations[resources[0].LocationId].Zone : DateTimeZone.Utc);
        var from = zone.AtStartOfDay(query.From).ToInstant();
        var until = zone.AtStartOfDay(query.To.PlusDays(1)).ToInstant();
        var busy = resources.Count == 0
            ? []
            : await bookings.BusyAsync(tenantId, [.. resources.Select(r => r.ResourceId)], from - Duration.FromDays(1), until + Duration.FromDays(1), ct);
        var slots = AvailabilityEngine.Search(schedule, service, resources, from, until, busy, Now);
        return new SchedulingResult<AvailabilityResult>(new AvailabilityResult(service, zone, slots), null);
    }

    public async Task<SchedulingResult<Booking>> BookAsync(string tenantId, BookRequest request, CancellationToken ct)
    {
        if (!WholeMinute(request.Start))
        {
            return SchedulingError.Invalid("startsAt", "An appointment starts on a whole minute (seconds 00).");
        }

        var schedule = await schedules.GetAsync(tenantId, ct);
        if (FindService(schedule, request.ServiceId) is not { } service)
        {
            return UnknownService(request.ServiceId);
        }

        var candidates = schedule.ResourcesFor(service);
        if (request.ResourceId is not null)
        {
            candidates = [.. candidates.Where(r => r.ResourceId == request.ResourceId)];
            if (candidates.Count == 0)
            {
                return UnknownResource(request.ResourceId, service);
            }
        }

        var hash = request.ClientKey is null ? null : Fingerprint(request);
        if (request.ClientKey is not null && await ReplayAsync(tenantId, request.ClientKey, hash!, ct) is { } replay)
        {
            return replay;
        }

        var now = Now;
        SlotProblem? firstProblem = null;
        var triedAny = false;
        foreach (var resource in candidates)
        {
            var problem = AvailabilityEngine.Check(schedule, service, resource, request.Start, now);
            if (problem != SlotProblem.None)
            {
                firstProblem ??= problem;
                continue;
            }

            triedAny = true;

            var booking = new Booking($"bk-{Guid.CreateVersion7():N}", service.ServiceId, resource.ResourceId, resource.LocationId, request.CustomerId,
                request.Start, request.Start + service.Duration, BookingStatus.Booked, request.ClientKey, request.CustomerTimeZone, request.Notes, null, now, now);
            var events = new List<OutboxEvent> { AppointmentEventFactory.Lifecycle(AppointmentEventTypes.Booked, booking, schedule, now) };
            events.AddRange(AppointmentEventFactory.Reminders(booking, service, schedule, now));
            switch (await bookings.InsertAsync(tenantId, booking, service, hash, events, ct))
            {
                case InsertOutcome.Inserted:
                    return new SchedulingResult<Booking>(booking, null, Created: true);
                case InsertOutcome.ClientKeyTaken:
                    return await ReplayAsync(tenantId, request.ClientKey!, hash!, ct)
                        ?? new SchedulingError(SchedulingErrorKind.Conflict, "clientKey", "Client key in use", "Retry the request.");
                default:
                    // A retry racing its own first attempt loses the slot to it: that is the booking to answer.
                    if (request.ClientKey is not null && await ReplayAsync(tenantId, request.ClientKey, hash!, ct) is { } earlier)
                    {
                        return earlier;
                    }

                    continue;
            }
        }

        // Only when the schedule refused every resource is the time itself wrong; otherwise others took it first.
        return triedAny ? SlotTaken()
            : firstProblem is { } refused ? SlotRefused(refused, service)
            : new SchedulingError(SchedulingErrorKind.Refused, "serviceId", "No resource", $"No resource performs the service '{service.ServiceId}' yet.");
    }

    public async Task<SchedulingResult<Booking>> RescheduleAsync(string tenantId, string bookingId, RescheduleRequest request, CancellationToken ct)
    {
        if (!WholeMinute(request.Start))
        {
            return SchedulingError.Invalid("startsAt", "An appointment starts on a whole minute (seconds 00).");
        }

        var schedule = await schedules.GetAsync(tenantId, ct);
        var now = Now;
        return await bookings.ChangeAsync(tenantId, bookingId, schedule, now, current =>
        {
            if (Unchangeable(current, now, "moved") is { } error)
            {
                return error;
            }

            if (FindService(schedule, current.ServiceId) is not { } service)
            {
                return new SchedulingError(SchedulingErrorKind.Refused, null, "Service removed", $"The service '{current.ServiceId}' was removed; cancel this appointment and book another.");
            }

            if (request.By == Actor.Customer && current.Start - now < service.Policy.RescheduleCutoff)
            {
                return CutOff("moved", service.Policy.RescheduleCutoff);
            }

            var resourceId = request.ResourceId ?? current.ResourceId;
            if (schedule.ResourcesFor(service).FirstOrDefault(r => r.ResourceId == resourceId) is not { } resource)
            {
                return request.ResourceId is not null
                    ? UnknownResource(resourceId, service)
                    : new SchedulingError(SchedulingErrorKind.Refused, null, "Resource unavailable",
                        $"The appointment's resource '{resourceId}' no longer performs the service '{service.ServiceId}'; name another resource.");
            }

            if (request.Start == current.Start && resource.ResourceId == current.ResourceId)
            {
                return BookingChange.Nothing;
            }

            if (AvailabilityEngine.Check(schedule, service, resource, request.Start, now) is not SlotProblem.None and var problem)
            {
                return SlotRefused(problem, service);
            }

            var moved = current with
            {
                ResourceId = resource.ResourceId,
                LocationId = resource.LocationId,
                Start = request.Start,
                End = request.Start + service.Duration,
                UpdatedAt = now,
            };
            var events = new List<OutboxEvent>
            {
                AppointmentEventFactory.Lifecycle(AppointmentEventTypes.Rescheduled, moved, schedule, now, new Dictionary<string, object?>
                {
                    ["previousStartsAt"] = NodaTime.Text.InstantPattern.ExtendedIso.Format(current.Start),
                    ["rescheduledBy"] = ActorText(request.By),
                }),
            };
            events.AddRange(AppointmentEventFactory.Reminders(moved, service, schedule, now));
            return new BookingChange(moved, service.Blocked(moved.Start), events, null);
        }, ct);
    }

    public async Task<SchedulingResult<Booking>> CancelAsync(string tenantId, string bookingId, CancelRequest request, CancellationToken ct)
    {
        var schedule = await schedules.GetAsync(tenantId, ct);
        var now = Now;
        return await bookings.ChangeAsync(tenantId, bookingId, schedule, now, current =>
        {
            if (current.Status == BookingStatus.Cancelled)
            {
                return BookingChange.Nothing;
            }

            if (Unchangeable(current, now, "cancelled") is { } error)
            {
                return error;
            }

            var service = FindService(schedule, current.ServiceId);
            var cutoff = service?.Policy.CancellationCutoff ?? Duration.Zero;
            if (request.By == Actor.Customer && current.Start - now < cutoff)
            {
                return CutOff("cancelled", cutoff);
            }

            var cancelled = current with { Status = BookingStatus.Cancelled, CancelReason = request.Reason, UpdatedAt = now };
            var events = new[]
            {
                AppointmentEventFactory.Lifecycle(AppointmentEventTypes.Cancelled, cancelled, schedule, now, new Dictionary<string, object?>
                {
                    ["reason"] = request.Reason,
                    ["cancelledBy"] = ActorText(request.By),
                }),
            };
            return new BookingChange(cancelled, new Interval(current.Start, current.End), events, null);
        }, ct);
    }

    /// <summary>Marks an appointment that has started as attended (<see cref="BookingStatus.Completed"/>) or missed (<see cref="BookingStatus.NoShow"/>).</summary>
    public async Task<SchedulingResult<Booking>> SettleAsync(string tenantId, string bookingId, BookingStatus outcome, CancellationToken ct)
    {
        var schedule = await schedules.GetAsync(tenantId, ct);
        var now = Now;
        var type = outcome == BookingStatus.Completed ? AppointmentEventTypes.Completed : AppointmentEventTypes.NoShow;
        return await bookings.ChangeAsync(tenantId, bookingId, schedule, now, current =>
        {
            if (current.Status == outcome)
            {
                return BookingChange.Nothing;
            }

            if (current.Status != BookingStatus.Booked)
            {
                return new SchedulingError(SchedulingErrorKind.Refused, null, "Booking not open",
                    $"The appointment is {BookingStatusText.Of(current.Status)}; only a booked appointment can be marked {BookingStatusText.Of(outcome)}.");
            }

            if (current.Start > now)
            {
                return new SchedulingError(SchedulingErrorKind.Refused, null, "Appointment not started",
                    $"The appointment starts at {NodaTime.Text.InstantPattern.ExtendedIso.Format(current.Start)}; it can be marked {BookingStatusText.Of(outcome)} once it has started.");
            }

            var settled = current with { Status = outcome, UpdatedAt = now };
            return new BookingChange(settled, new Interval(current.Start, current.End), [AppointmentEventFactory.Lifecycle(type, settled, schedule, now)], null);
        }, ct);
    }

    public async Task<SchedulingResult<WaitlistEntry>> JoinWaitlistAsync(string tenantId, WaitlistRequest request, CancellationToken ct)
    {
        var schedule = await schedules.GetAsync(tenantId, ct);
        if (FindService(schedule, request.ServiceId) is not { } service)
        {
            return UnknownService(request.ServiceId);
        }

        var resources = schedule.ResourcesFor(service);
        if (request.ResourceId is not null && resources.All(r => r.ResourceId != request.ResourceId))
        {
            return UnknownResource(request.ResourceId, service);
        }

        Interval window;
        if (request.Date is { } date)
        {
            var zone = resources.Count > 0 ? schedule.Locations[(resources.FirstOrDefault(r => r.ResourceId == request.ResourceId) ?? resources[0]).LocationId].Zone : DateTimeZone.Utc;
            window = new Interval(zone.AtStartOfDay(date).ToInstant(), zone.AtStartOfDay(date.PlusDays(1)).ToInstant());
        }
        else if (request is { From: { } from, Until: { } until })
        {
            if (until <= from)
            {
                return SchedulingError.Invalid("until", "The window ends before it starts.");
            }

            window = new Interval(from, until);
        }
        else
        {
            return SchedulingError.Invalid("date", "Give either a date or both from and until.");
        }

        var now = Now;
        if (window.End <= now)
        {
            return SchedulingError.Invalid(request.Date is null ? "until" : "date", "The window is in the past.");
        }

        var entry = new WaitlistEntry($"wl-{Guid.CreateVersion7():N}", request.CustomerId, service.ServiceId, request.ResourceId, window, "waiting", null, null, now);
        await bookings.InsertWaitlistAsync(tenantId, entry, ct);
        return new SchedulingResult<WaitlistEntry>(entry, null, Created: true);
    }

    public static string ActorText(Actor actor) => actor == Actor.Business ? "business" : "customer";

    private async Task<SchedulingResult<Booking>?> ReplayAsync(string tenantId, string clientKey, string hash, CancellationToken ct)
    {
        if (await bookings.FindByClientKeyAsync(tenantId, clientKey, ct) is not { } earlier)
        {
            return null;
        }

        return earlier.RequestHash == hash
            ? new SchedulingResult<Booking>(earlier.Booking, null, Replayed: true)
            : new SchedulingError(SchedulingErrorKind.Conflict, "clientKey", "Client key reused",
                $"The client key '{clientKey}' already made booking '{earlier.Booking.BookingId}' with different details; use a new key for a new booking.");
    }

    private static ServiceDefinition? FindService(TenantSchedule schedule, string serviceId) => schedule.Services.GetValueOrDefault(serviceId);

    private static bool WholeMinute(Instant start) => start.InUtc().NanosecondOfDay % NodaConstants.NanosecondsPerMinute == 0;

    private static SchedulingError? Unchangeable(Booking current, Instant now, string verb)
    {
        if (current.Status != BookingStatus.Booked)
        {
            return new SchedulingError(SchedulingErrorKind.Refused, null, "Booking not open", $"The appointment is {BookingStatusText.Of(current.Status)} and cannot be {verb}.");
        }

        return current.Start <= now
            ? new SchedulingError(SchedulingErrorKind.Refused, null, "Appointment started", $"The appointment has already started and cannot be {verb}; mark it completed or no-show instead.")
            : null;
    }

    private static SchedulingError CutOff(string verb, Duration cutoff) => new(SchedulingErrorKind.Refused, null, "Past the cut-off",
        $"An appointment can be {verb} online until {IsoDuration.Format(cutoff)} before it starts. Please contact the business: a person there can still help.");

    private static SchedulingError UnknownService(string serviceId) =>
        new(SchedulingErrorKind.Invalid, "serviceId", "Unknown service", $"There is no service '{serviceId}'.");

    private static SchedulingError UnknownResource(string resourceId, ServiceDefinition service) =>
        new(SchedulingErrorKind.Invalid, "resourceId", "Unknown resource", $"'{resourceId}' is not a resource that performs the service '{service.ServiceId}'.");

    private static SchedulingError SlotTaken() => new(SchedulingErrorKind.Conflict, "startsAt", "Slot taken",
        "Another appointment holds that time; search availability again and pick another slot.");

    private static SchedulingError SlotRefused(SlotProblem problem, ServiceDefinition service) => new(SchedulingErrorKind.Refused, "startsAt", "Slot not bookable", problem switch
    {
        SlotProblem.InThePast => "The start time is in the past.",
        SlotProblem.TooSoon => $"Book at least {IsoDuration.Format(service.Policy.MinimumNotice)} ahead.",
        SlotProblem.TooFarAhead => $"Book at most {IsoDuration.Format(service.Policy.BookingHorizon)} ahead.",
        SlotProblem.Closed => "The location is closed that day.",
        SlotProblem.ResourceAway => "The resource is away at that time.",
        _ => $"The appointment ({IsoDuration.Format(service.Duration)}) does not fit in the resource's working hours at that time.",
    });

    private static string Fingerprint(BookRequest request)
    {
        var text = string.Join('\n', request.ServiceId, request.ResourceId, request.CustomerId, request.Start.ToUnixTimeTicks(), request.CustomerTimeZone, request.Notes);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
