using System.Globalization;
using System.Net;
using System.Text.Json;
using NodaTime;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// The business the benchmark books into: one location in Europe/Berlin, 50 resources working Monday to Saturday
/// 09:00-13:00 and 14:00-18:00 (lunch 13:00-14:00), and one service of 30 minutes with a 10-minute buffer after,
/// performed by all of them, offered every 15 minutes up to 60 days ahead. Also plans the appointments booked before
/// the measurements and the slots the booking race is run on.
/// </summary>
internal static class BenchSchedule
{
    public const string LocationId = "berlin-mitte";
    public const string ServiceId = "haircut";
    public const int ResourceCount = 50;

    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    public static readonly Duration AppointmentLength = Duration.FromMinutes(30);

    /// <summary>What one appointment keeps its resource from others: the appointment and the buffer after it.</summary>
    public static readonly Duration Blocked = Duration.FromMinutes(40);

    public static readonly Duration SlotStep = Duration.FromMinutes(15);

    public static readonly IReadOnlyList<string> ResourceIds =
        [.. Enumerable.Range(1, ResourceCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"staff-{i:00}"))];

    /// <summary>The working intervals of every working day, local time.</summary>
    private static readonly (LocalTime Start, LocalTime End)[] Hours = [(new(9, 0), new(13, 0)), (new(14, 0), new(18, 0))];

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static int WorkingMinutesPerDay => (int)Hours.Sum(h => Period.Between(h.Start, h.End, PeriodUnits.Minutes).Minutes);

    public static bool IsWorkingDay(LocalDate date) => date.DayOfWeek != IsoDayOfWeek.Sunday;

    /// <summary>Creates the location, the resources and the service through the REST API, one PUT each.</summary>
    public static async Task CreateAsync(TenantClient client)
    {
        await PutAsync(client, $"/v1/scheduling/locations/{LocationId}", new { name = "Berlin Mitte", timeZone = Zone.Id });
        var day = Hours.Select(h => new { start = h.Start.ToString("HH:mm", CultureInfo.InvariantCulture), end = h.End.ToString("HH:mm", CultureInfo.InvariantCulture) }).ToArray();
        var week = new Dictionary<string, object> { ["monday"] = day, ["tuesday"] = day, ["wednesday"] = day, ["thursday"] = day, ["friday"] = day, ["saturday"] = day };
        foreach (var id in ResourceIds)
        {
            await PutAsync(client, $"/v1/scheduling/resources/{id}", new { name = $"Stylist {id[^2..]}", kind = "staff", locationId = LocationId, workingHours = week });
        }

        await PutAsync(client, $"/v1/scheduling/services/{ServiceId}", new
        {
            name = "Haircut",
            duration = "PT30M",
            bufferAfter = "PT10M",
            resourceIds = ResourceIds,
            slotStep = "PT15M",
            bookingHorizon = "P60D",
        });
    }

    /// <summary>
    /// Appointments that take about <paramref name="share"/> of every resource's working time on
    /// <paramref name="days"/> days from <paramref name="first"/>: per resource and day, random starts on the slot grid
    /// that do not overlap one another. Returns them with the share of working time they really take.
    /// </summary>
    public static (List<PlannedBooking> Bookings, double TakenShare) PlanPrebookings(LocalDate first, int days, double share, Random random)
    {
        var perDay = share * WorkingMinutesPerDay / Blocked.TotalMinutes;
        var bookings = new List<PlannedBooking>();
        double takenMinutes = 0, workingMinutes = 0;
        for (var date = first; date < first.PlusDays(days); date = date.PlusDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var starts = GridStarts(date, SlotStep).ToList();
            var intervals = Hours.Select(h => (Start: At(date, h.Start), End: At(date, h.End))).ToArray();
            foreach (var resource in ResourceIds)
            {
                workingMinutes += WorkingMinutesPerDay;
                var count = (int)perDay + (random.NextDouble() < perDay - (int)perDay ? 1 : 0);
                var chosen = new List<Instant>();
                for (var attempt = 0; chosen.Count < count && attempt < 200; attempt++)
                {
                    var start = starts[random.Next(starts.Count)];
                    if (chosen.All(c => start + Blocked <= c || c + Blocked <= start))
                    {
                        chosen.Add(start);
                    }
                }

                foreach (var start in chosen)
                {
                    bookings.Add(new PlannedBooking(resource, start));
                    takenMinutes += intervals.Sum(i => Math.Max(0, (Instant.Min(i.End, start + Blocked) - Instant.Max(i.Start, start)).TotalMinutes));
                }
            }
        }

        return (bookings, takenMinutes / workingMinutes);
    }

    /// <summary>
    /// Slots for the booking race: every resource's starts on a 45-minute grid (so no two overlap, buffer included) on
    /// <paramref name="days"/> days from <paramref name="first"/>, less those overlapping <paramref name="taken"/>,
    /// shuffled so concurrent racers spread over resources and days.
    /// </summary>
    public static List<PlannedBooking> RaceSlots(LocalDate first, int days, IReadOnlyList<PlannedBooking> taken, Random random)
    {
        var takenByResource = taken.ToLookup(b => b.ResourceId, StringComparer.Ordinal);
        var slots = new List<PlannedBooking>();
        for (var date = first; date < first.PlusDays(days); date = date.PlusDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var starts = GridStarts(date, Duration.FromMinutes(45)).ToList();
            foreach (var resource in ResourceIds)
            {
                var busy = takenByResource[resource];
                slots.AddRange(starts.Where(s => busy.All(b => s + Blocked <= b.Start || b.Start + Blocked <= s)).Select(s => new PlannedBooking(resource, s)));
            }
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slots));
        return slots;
    }

    /// <summary>The body of a booking request.</summary>
    public static string BookingJson(PlannedBooking slot, string customerId) => JsonSerializer.Serialize(
        new { serviceId = ServiceId, resourceId = slot.ResourceId, customerId, startsAt = NodaTime.Text.InstantPattern.ExtendedIso.Format(slot.Start) }, Web);

    private static IEnumerable<Instant> GridStarts(LocalDate date, Duration step)
    {
        foreach (var (start, end) in Hours)
        {
            var until = At(date, end);
            for (var s = At(date, start); s + AppointmentLength <= until; s += step)
            {
                yield return s;
            }
        }
    }

    private static Instant At(LocalDate date, LocalTime time) => date.At(time).InZoneLeniently(Zone).ToInstant();

    private static async Task PutAsync(TenantClient client, string path, object body)
    {
        var (status, answer) = await client.SendAsync(HttpMethod.Put, path, JsonSerializer.Serialize(body, Web), keepBody: true);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new InvalidOperationException($"PUT {path} answered {(int)status}: {answer}");
        }
    }
}
