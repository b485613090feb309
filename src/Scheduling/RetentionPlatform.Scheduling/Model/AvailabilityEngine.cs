using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>
/// Turns working hours (wall-clock time in each location's zone) into instants and finds free start times. Each day's
/// hours are resolved in the zone on that date, so a DST change moves the UTC instants of 09:00 but never the
/// wall-clock hours, and a day with a skipped or repeated hour has exactly the working time it really has. Slots are
/// stepped in elapsed time from the start of each working interval.
/// </summary>
public static class AvailabilityEngine
{
    /// <summary>
    /// Free slots for <paramref name="service"/> starting in [<paramref name="from"/>, <paramref name="until"/>) on any
    /// of <paramref name="resources"/>, merged by start time.
    /// </summary>
    public static IReadOnlyList<Slot> Search(
        TenantSchedule schedule,
        ServiceDefinition service,
        IReadOnlyList<Resource> resources,
        Instant from,
        Instant until,
        IReadOnlyDictionary<string, BusyTimes> busy,
        Instant now)
    {
        var earliest = Instant.Max(from, now + service.Policy.MinimumNotice);
        var latest = Instant.Min(until, now + service.Policy.BookingHorizon + Duration.Epsilon);
        var byStart = new Dictionary<Instant, List<string>>();
        if (earliest >= latest)
        {
            return [];
        }

        foreach (var resource in resources)
        {
            if (!schedule.Locations.TryGetValue(resource.LocationId, out var location))
            {
                continue;
            }

            var taken = Busy(schedule, resource, busy);
            foreach (var (start, end) in WorkingTimes(location, resource.Hours, earliest - service.Duration, latest + service.Duration))
            {
                for (var s = start; s + service.Duration <= end; s += service.Policy.SlotStep)
                {
                    if (s < earliest || s >= latest)
                    {
                        continue;
                    }

                    var blocked = service.Blocked(s);
                    if (!taken.Overlaps(blocked.Start, blocked.End))
                    {
                        if (!byStart.TryGetValue(s, out var ids))
                        {
                            byStart[s] = ids = [];
                        }

                        ids.Add(resource.ResourceId);
                    }
                }
            }
        }

        // Collected unordered (a hash insert per free start and resource) and sorted once: much cheaper than a sorted map.
        var starts = byStart.Keys.ToArray();
        Array.Sort(starts);
        return [.. starts.Select(start => new Slot(start, start + service.Duration, byStart[start]))];
    }

    /// <summary>
    /// Whether <paramref name="start"/> can be booked for <paramref name="service"/> on <paramref name="resource"/> by
    /// the schedule alone (notice, horizon, working hours, closures, time off); other appointments are the database's
    /// to check, atomically.
    /// </summary>
    public static SlotProblem Check(TenantSchedule schedule, ServiceDefinition service, Resource resource, Instant start, Instant now)
    {
        if (start < now)
        {
            return SlotProblem.InThePast;
        }

        if (start < now + service.Policy.MinimumNotice)
        {
            return SlotProblem.TooSoon;
        }

        if (start > now + service.Policy.BookingHorizon)
        {
            return SlotProblem.TooFarAhead;
        }

        if (!schedule.Locations.TryGetValue(resource.LocationId, out var location))
        {
            return SlotProblem.OutsideWorkingHours;
        }

        var end = start + service.Duration;
        var inHours = WorkingTimes(location, resource.Hours, start - Duration.FromDays(1), end + Duration.FromDays(1))
            .Any(w => w.Start <= start && end <= w.End);
        if (!inHours)
        {
            var date = start.InZone(location.Zone).Date;
            return location.Holidays.Contains(date) ? SlotProblem.Closed : SlotProblem.OutsideWorkingHours;
        }

        var blocked = service.Blocked(start);
        var away = new BusyTimes(schedule.TimeOff[resource.ResourceId].Select(t => t.Interval));
        return away.Overlaps(blocked.Start, blocked.End) ? SlotProblem.ResourceAway : SlotProblem.None;
    }

    /// <summary>
    /// The resource's working intervals as instants, for every local date whose hours may touch
    /// [<paramref name="from"/>, <paramref name="until"/>), skipping the location's closed dates. Intervals that touch
    /// (12:00-12:00 within a day, 24:00 and the next day's 00:00) are one: an appointment may run across them.
    /// </summary>
    public static IEnumerable<(Instant Start, Instant End)> WorkingTimes(Location location, WeeklyHours hours, Instant from, Instant until)
    {
        var zone = location.Zone;
        var last = until.InZone(zone).Date.PlusDays(1);
        (Instant Start, Instant End)? pending = null;
        for (var date = from.InZone(zone).Date.PlusDays(-1); date <= last; date = date.PlusDays(1))
        {
            if (location.Holidays.Contains(date))
            {
                continue;
            }

            foreach (var interval in hours.On(date.DayOfWeek))
            {
                var start = At(zone, date, interval.StartMinute);
                var end = At(zone, date, interval.EndMinute);
                if (end <= start)
                {
                    continue;
                }

                if (pending is { } open && open.End == start)
                {
                    pending = (open.Start, end);
                    continue;
                }

                if (pending is { } done && done.End > from && done.Start < until)
                {
                    yield return done;
                }

                pending = (start, end);
            }
        }

        if (pending is { } rest && rest.End > from && rest.Start < until)
        {
            yield return rest;
        }
    }

    /// <summary>
    /// The instant of a wall-clock minute on a local date. A time in a DST gap does not exist and maps to the end of
    /// the gap; a repeated time maps to its first occurrence, so an interval over a change has its real length.
    /// </summary>
    public static Instant At(DateTimeZone zone, LocalDate date, int minute)
    {
        if (minute == 0)
        {
            return zone.AtStartOfDay(date).ToInstant();
        }

        if (minute >= WorkingInterval.EndOfDay)
        {
            return zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
        }

        var local = date.At(new LocalTime(minute / 60, minute % 60));
        var mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            0 => mapping.LateInterval.Start,
            _ => mapping.First().ToInstant(),
        };
    }

    private static BusyTimes Busy(TenantSchedule schedule, Resource resource, IReadOnlyDictionary<string, BusyTimes> busy)
    {
        var away = schedule.TimeOff[resource.ResourceId];
        var booked = busy.GetValueOrDefault(resource.ResourceId);
        if (!away.Any())
        {
            return booked ?? BusyTimes.None;
        }

        return new BusyTimes(away.Select(t => t.Interval).Concat(booked?.Intervals ?? []));
    }
}
