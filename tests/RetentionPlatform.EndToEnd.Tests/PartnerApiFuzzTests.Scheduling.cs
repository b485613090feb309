using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Sched = RetentionPlatform.Contracts.Scheduling.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The Scheduling part of the fuzzing: the REST routes under <c>/v1/scheduling</c> and the
/// <c>retention.scheduling.v1.Scheduling</c> rpcs, against a schedule set up first (locations, resources, services, time
/// off, bookings and a waitlist entry) so that what is valid reaches the scheduler and PostgreSQL. Booking times are
/// relative to the day the run starts (within the services' booking horizon), so a seed replays the same requests on
/// the same day; the ids of the bookings set up are the server's, and only which of them a request names is seeded.
/// </summary>
public sealed partial class PartnerApiFuzzTests
{
    private static readonly string[] LocationIds = ["loc-0", "loc-1"];
    private static readonly string[] ResourceIds = ["r-0", "r-1", "r-2"];
    private static readonly string[] ServiceIds = ["svc-0", "svc-1"];

    /// <summary>Valid ranges of days at the ends of the calendar, where a day more or a zone's offset leaves it.</summary>
    private static readonly (string From, string To)[] EdgeRanges =
        [("9999-12-31", "9999-12-31"), ("9999-12-30", "9999-12-31"), ("9999-11-01", "9999-12-31"), ("0001-01-01", "0001-01-01"), ("0001-01-01", "0001-01-03")];

    /// <summary>Open around the clock, every day.</summary>
    private const string AllDay =
        """{"monday":[{"start":"00:00","end":"24:00"}],"tuesday":[{"start":"00:00","end":"24:00"}],"wednesday":[{"start":"00:00","end":"24:00"}],"thursday":[{"start":"00:00","end":"24:00"}],"friday":[{"start":"00:00","end":"24:00"}],"saturday":[{"start":"00:00","end":"24:00"}],"sunday":[{"start":"00:00","end":"24:00"}]}""";

    /// <summary>
    /// Puts the fuzz tenant's schedule (back) in place: two locations in different zones, three resources (one always
    /// working and never away, one on weekdays with a lunch break, one in New York), and two services. The fuzzer changes
    /// and removes what it can; this restores it.
    /// </summary>
    private static async Task RestoreScheduleAsync(HttpClient partner)
    {
        await ExpectAsync(partner, HttpMethod.Put, "/v1/scheduling/locations/loc-0", """{"name":"Fuzz studio","timeZone":"Europe/Berlin","holidays":[]}""", HttpStatusCode.Created, HttpStatusCode.OK);
        await ExpectAsync(partner, HttpMethod.Put, "/v1/scheduling/locations/loc-1", """{"name":"Fuzz annex","timeZone":"America/New_York"}""", HttpStatusCode.Created, HttpStatusCode.OK);
        var always = await ExpectAsync(partner, HttpMethod.Put, "/v1/scheduling/resources/r-0", $$"""{"name":"Always","kind":"staff","locationId":"loc-0","workingHours":{{AllDay}}}""", HttpStatusCode.Created, HttpStatusCode.OK);
        foreach (var timeOff in JsonNode.Parse(always)!["timeOff"]!.AsArray())
        {
            await ExpectAsync(partner, HttpMethod.Delete, $"/v1/scheduling/resources/r-0/time-off/{(string)timeOff!["timeOffId"]!}", null, HttpStatusCode.NoContent);
        }

        await ExpectAsync(partner, HttpMethod.Put, "/v1/scheduling/resources/r-1", """
            {"name":"Weekdays","kind":"room","locationId":"loc-0","workingHours":{
              "monday":[{"start":"08:00","end":"12:00"},{"start":"13:00","end":"18:00"}],"tuesday":[{"start":"08:00","end":"12:00"},{"start":"13:00","end":"18:00"}],
              "wednesday":[{"start":"08:00","end":"12:00"}],"thursday":[{"start":"08:00","end":"18:00"}],"friday":[{"start":"08:00","end":"12:00"},{"start":"12:00","end":"16:00"}]}}
            """, HttpStatusCode.Created, HttpStatusCode.OK);
        await ExpectAsync(partner, HttpMethod.Put, "/v1/scheduling/resources/r-2", """{"name":"New York","locationId":"loc-1","workingHours":{"monday":[{"start":"09:00","end":"17:00"}],"saturday":[{"start":"23:00","end":"24:00"}],"sunday":[{"start":"00:00","end":"02:00"}]}}""", HttpStatusCode.Created, HttpStatusCode.OK);
        await ExpectAsync(partner, HttpMethod.Put, "/v1/scheduling/services/svc-0", """
            {"name":"Consultation","duration":"PT30M","resourceIds":["r-0","r-1"],"minimumNotice":"PT0S","bookingHorizon":"P60D","slotStep":"PT15M","reminderOffsets":["PT24H","PT1H"]}
            """, HttpStatusCode.Created, HttpStatusCode.OK);
        await ExpectAsync(partner, HttpMethod.Put, "/v1/scheduling/services/svc-1", """
            {"name":"Treatment","duration":"PT1H","bufferBefore":"PT5M","bufferAfter":"PT15M","resourceIds":["r-2","r-0"],"price":49.5,"currency":"EUR","cancellationCutoff":"PT24H","rescheduleCutoff":"PT12H","slotStep":"PT30M"}
            """, HttpStatusCode.Created, HttpStatusCode.OK);
    }

    /// <summary>The schedule, time off, a few bookings (on the first free slot of each of the days ahead) and a waitlist entry.</summary>
    private static async Task<ScheduleTargets> PrepareScheduleAsync(Uri gateway, string key)
    {
        using var partner = Partner(gateway, key);
        await RestoreScheduleAsync(partner);
        var firstDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
        await ExpectAsync(partner, HttpMethod.Post, "/v1/scheduling/resources/r-1/time-off",
            $$"""{"startsAt":"{{Day(firstDay, 1)}}T10:00:00+01:00","endsAt":"{{Day(firstDay, 1)}}T11:00:00+01:00","reason":"Maintenance"}""", HttpStatusCode.Created);

        var bookings = new List<string>();
        for (var day = 3; day < 7; day++)
        {
            bookings.Add(await BookFirstFreeSlotAsync(partner, Day(firstDay, day), "sc-setup"));
        }

        var waitlist = await ExpectAsync(partner, HttpMethod.Post, "/v1/scheduling/waitlist", $$"""{"customerId":"sc-0","serviceId":"svc-0","date":"{{Day(firstDay, 3)}}"}""", HttpStatusCode.Created);
        return new ScheduleTargets(firstDay, bookings, [(string)JsonNode.Parse(waitlist)!["entryId"]!]);
    }

    /// <summary>After the storm, with the schedule put back, a partner still finds a free slot and books it.</summary>
    private static async Task AssertSchedulingStillBooksOverRestAsync(Uri gateway, string key)
    {
        using var partner = Partner(gateway, key);
        await RestoreScheduleAsync(partner);
        var bookingId = await BookFirstFreeSlotAsync(partner, Day(DateOnly.FromDateTime(DateTime.UtcNow), 9), $"after-fuzz-{Guid.NewGuid():N}");
        await ExpectAsync(partner, HttpMethod.Post, $"/v1/scheduling/bookings/{bookingId}/cancel", """{"by":"business","reason":"after the fuzz"}""", HttpStatusCode.OK);
    }

    /// <summary>Books the first free slot of svc-0 with r-0 on <paramref name="day"/>, as a partner would: search, then book.</summary>
    private static async Task<string> BookFirstFreeSlotAsync(HttpClient partner, string day, string customerId)
    {
        var found = await ExpectAsync(partner, HttpMethod.Get, $"/v1/scheduling/availability?serviceId=svc-0&resourceId=r-0&from={day}&to={day}", null, HttpStatusCode.OK);
        var slots = JsonNode.Parse(found)!["slots"]!.AsArray();
        Assert.NotEmpty(slots);
        var booked = await ExpectAsync(partner, HttpMethod.Post, "/v1/scheduling/bookings",
            $$"""{"serviceId":"svc-0","resourceId":"r-0","customerId":"{{customerId}}","startsAt":"{{(string)slots[0]!["startsAt"]!}}","customerTimeZone":"Europe/Vienna"}""", HttpStatusCode.Created);
        return (string)JsonNode.Parse(booked)!["bookingId"]!;
    }

    /// <summary>After the storm, the Scheduling rpcs still search, book and read back.</summary>
    private static async Task AssertSchedulingStillBooksOverGrpcAsync(GrpcChannel channel, ScheduleTargets schedule, string key)
    {
        var client = new Sched.Scheduling.SchedulingClient(channel);
        var headers = new Metadata { { "x-api-key", key } };
        var found = await client.SearchAvailabilityAsync(
            new Sched.SearchAvailabilityRequest { ServiceId = "svc-0", ResourceId = "r-0", From = Day(schedule.FirstDay, 7), To = Day(schedule.FirstDay, 13) }, headers, DateTime.UtcNow.AddSeconds(10));
        Assert.NotEmpty(found.Slots);
        var booked = await client.BookAsync(
            new Sched.BookRequest { ServiceId = "svc-0", ResourceId = "r-0", CustomerId = $"after-fuzz-{Guid.NewGuid():N}", StartsAt = found.Slots[^1].StartsAt }, headers, DateTime.UtcNow.AddSeconds(10));
        Assert.Equal("booked", booked.Booking.Status);
        var read = await client.GetBookingAsync(new Sched.BookingRef { BookingId = booked.Booking.BookingId }, headers, DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(found.Slots[^1].StartsAt, read.Booking.StartsAt);
    }

    private static HttpClient Partner(Uri gateway, string key)
    {
        var partner = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        partner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return partner;
    }

    private static async Task<string> ExpectAsync(HttpClient partner, HttpMethod method, string path, string? body, params HttpStatusCode[] expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        using var response = await partner.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected.Contains(response.StatusCode), $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static string Day(DateOnly first, int plus) => first.AddDays(plus).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The problem with an INVALID_ARGUMENT's details, or null: Scheduling promises a google.rpc.BadRequest with a field
    /// violation per problem, each named by a field of the request message.
    /// </summary>
    private static string? FieldViolationProblem(string? details, IReadOnlySet<string> fields)
    {
        if (details is null)
        {
            return "INVALID_ARGUMENT without details (no grpc-status-details-bin with a google.rpc.BadRequest)";
        }

        try
        {
            var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(details.PadRight(details.Length + ((4 - (details.Length % 4)) % 4), '=')));
            var badRequest = status.Details.FirstOrDefault(d => d.Is(BadRequest.Descriptor))?.Unpack<BadRequest>();
            if (badRequest is null || badRequest.FieldViolations.Count == 0)
            {
                return "INVALID_ARGUMENT whose details carry no google.rpc.BadRequest field violation";
            }

            var unknown = badRequest.FieldViolations.Select(v => v.Field).Where(f => !fields.Contains(f)).Distinct().ToList();
            return unknown.Count == 0 ? null : $"INVALID_ARGUMENT names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, not a field of the request ({string.Join(", ", fields)})";
        }
        catch (Exception ex) when (ex is FormatException or InvalidProtocolBufferException)
        {
            return "grpc-status-details-bin is not a google.rpc.Status";
        }
    }

    /// <summary>What the scheduling requests refer to: the first day bookings go on, and the bookings and waitlist entries set up.</summary>
    private sealed record ScheduleTargets(DateOnly FirstDay, IReadOnlyList<string> BookingIds, IReadOnlyList<string> WaitlistIds);

    private sealed partial class RestFuzzer
    {
        private const int SchedulingWriteLimit = 1024 * 1024;
        private const int SchedulingReadLimit = 64 * 1024;

        /// <summary>Times as JSON, each wrong in its own way (no offset, a day that does not exist, past the years a client can hold).</summary>
        private static readonly string[] OddTimes =
        [
            "\"2027-02-30T10:00:00+01:00\"", "\"2026-12-01T09:00:00\"", "\"2026-12-01T09:00\"", "\"2026-12-01 09:00:00Z\"", "\"2026-12-01T09:00:00+01\"",
            "\"2026-12-01T09:00:00+25:00\"", "\"2026-12-01T09:00:00.5Z\"", "\"2026-12-01T09:00:30Z\"", "\"2026-12-01T24:00:00Z\"", "\"2026-13-01T09:00:00Z\"",
            "\"0001-01-01T00:00:00+14:00\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:00Z\"", "\"9999-12-31T23:59:59-14:00\"", "\"0000-01-01T00:00:00Z\"",
            "\"-0001-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00Z\"", "\"2026-12-01T09:00:00.000000001Z\"", "\"2026-12-01T09:00:00,5Z\"",
            "\"2026-W49-2T09:00:00Z\"", "\"20261201T090000Z\"", "\"2026-12-01T09:00:00z\"", "\"2026-12-01t09:00:00Z\"", "\"２０２６-１２-０１T09:00:00Z\"",
            "\"2026-12-01T09:00:00+01:00[Europe/Berlin]\"", "\"now\"", "\"\"", "1764579600", "\"2026-12-01T09:00:00-00:00\"", "\"2026-12-01T09:00:00+14:01\"",
            "\"2026-12-01T09:00:00\\u0000Z\"", "{\"date\":\"2026-12-01\"}", "[\"2026-12-01T09:00:00Z\"]",
        ];

        /// <summary>Dates (as text, unquoted) that do not exist, are written another way, or lie at the ends of the calendar.</summary>
        private static readonly string[] OddDates =
        [
            "2027-02-30", "2026-02-29", "2028-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "0000-01-01", "0001-01-01", "9999-12-31", "9999-12-30",
            "10000-01-01", "-0001-01-01", "2026-12-01T00:00:00Z", "2026/12/01", "20261201", "2026-12-01 ", "２０２６-１２-０１", "٢٠٢٦-١٢-٠١", "", "yesterday",
        ];

        private static readonly string[] OddZones =
        [
            "Mars/Olympus_Mons", "Etc/GMT+99", "../UTC", "UTC", "utc", "europe/berlin", "EST", "GMT+1", "+01:00", "Z", "Etc/GMT-14",
            "America/Argentina/ComodRivadavia", " ", "Europe/Berlin ", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "America/St_Johns",
            "Pacific/Kiritimati", "Pacific/Pago_Pago", "Antarctica/Troll", "Europe/" + new string('x', 60), "Europe/Berlin/../Paris", "Etc/Unknown",
        ];

        private static readonly string[] OddDurations =
        [
            "P99999999D", "PT0.5S", "P1M", "P1Y", "PT-1H", "-PT1H", "P", "PT", "PT0S", "P1W", "PT45M", "PT1H30M", "P1DT", "PT99999999999999999999H",
            "PT1.000000001S", "pt45m", "PT45m", "45", "P0D", "PT24H", "PT24H1M", "PT90S", "PT59S", "P2W", "P1.5D", "PT1,5H", "P10675199D", "P106751991167D",
            "PT9223372036854775807S", "P-1D", "PT0.0S", "P1D T1H", "PT1H ", "P365DT1S", "P731D", "PT4M", "PT5M", "PT1M30S", "P2147483647D", "PT2562047788015215H",
        ];

        /// <summary>Working hours as JSON, wrong in shape or in what they say.</summary>
        private static readonly string[] OddHours =
        [
            """{"monday":[{"start":"25:61","end":"26:00"}]}""", """{"funday":[{"start":"09:00","end":"17:00"}]}""", """{"monday":[{"start":"09:00","end":"09:00"}]}""",
            """{"monday":[{"start":"17:00","end":"09:00"}]}""", """{"monday":[{"start":"09:00","end":"12:00"},{"start":"11:00","end":"13:00"}]}""",
            """{"monday":[{"start":"24:00","end":"24:00"}]}""", """{"Monday":[{"start":"09:00","end":"17:00"}]}""", """{"monday":[1,2]}""",
            """{"monday":[{"start":9,"end":17}]}""", """{"monday":[{}]}""", """{"monday":{"start":"09:00","end":"17:00"}}""", """{"monday":[{"start":"9:00","end":"17:00"}]}""",
            """{"monday":[{"start":"09:00:00","end":"17:00"}]}""", """{"monday":[{"start":"０９:００","end":"17:00"}]}""", """{"monday":[null]}""", """{"monday":null}""",
            "[]", "{}", """{"monday":[]}""", """{"monday":[{"start":"00:00","end":"24:00"}],"monday":[]}""", """{"sunday":[{"start":"02:00","end":"03:00"}]}""",
            """{"monday":[{"start":"23:00","end":"24:00"}],"tuesday":[{"start":"00:00","end":"01:00"}]}""", """{"monday":[{"start":"09:00","end":"17:00","start":"10:00"}]}""",
            """{"monday":[{"start":"\u0000","end":"17:00"}]}""", """{"monday":[{"start":"-01:00","end":"17:00"}]}""", """{"monday":[{"start":"12:00 PM","end":"17:00"}]}""",
            """{"monday":[""" + string.Join(",", Enumerable.Range(0, 25).Select(i => $$"""{"start":"{{i % 24:00}}:00","end":"{{i % 24:00}}:30"}""")) + "]}",
            """{"monday":[""" + string.Join(",", Enumerable.Range(0, 24).Select(i => $$"""{"start":"{{i:00}}:00","end":"{{i:00}}:30"}""")) + "]}",
            "{" + string.Join(",", Enumerable.Range(0, 500).Select(i => $"\"day{i}\":[]")) + "}",
        ];

        private static readonly string[] OddIdLists =
        [
            """["r-0","r-0"]""", "[]", """["nope"]""", "[1]", "[null]", """["r-0","\u0000"]""", "\"r-0\"", """[["r-0"]]""", """["R-0"]""", """["r-0 "]""",
            "[" + string.Join(",", Enumerable.Range(0, 501).Select(i => $"\"r-{i}\"")) + "]", """["r-x0"]""", """["r-2","r-1","r-0"]""",
        ];

        private static readonly string[] OddPrices =
            ["-1", "1e9", "999999999.99", "1000000000", "0.001", "1e-400", "\"49.5\"", "79228162514264337593543950336", "1e400", "-0", "0.1e1", "1E+2", "4.9e-324"];

        private static readonly string[] OddDays = ["\"2027-02-30\"", "[\"2027-02-30\"]", "[1]", "[null]", "\"2026-12-24\"", "[\"2026-12-24\",\"2026-12-24\"]", "[\"9999-12-31\"]", "[\"0001-01-01\"]"];

        /// <summary>The scheduling routes: the schedule (locations, resources, time off, services), availability, bookings and the waitlist.</summary>
        public static Route[] SchedulingRoutes(ScheduleTargets schedule)
        {
            static string Q(string text) => $"\"{text}\"";
            static Field F(string name, Func<Random, string> valid, Func<Random, string>? odd = null) => new(name, valid, odd);
            Func<Random, string> time = r => Q(Start(r, schedule));
            Func<Random, string> oddTime = r => Pick(r, OddTimes);
            Func<Random, string> duration = r => Q(Pick(r, ["PT15M", "PT30M", "PT45M", "PT1H", "PT1H30M"]));
            Func<Random, string> oddDuration = r => r.Next(8) == 0 ? Pick(r, ["45", "null", "true", "[\"PT1H\"]"]) : Q(Pick(r, OddDurations));
            Func<Random, string> zone = r => Q(Pick(r, ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]));
            Func<Random, string> oddZone = r => Q(Pick(r, OddZones));
            Func<Random, string> customer = r => Q($"sc-{r.Next(10)}");
            Func<Random, string> oddCustomer = r => Pick(r, ["\"\"", "\" \"", "\"c/1\"", Q(new string('c', 129)), Q(new string('c', 128)), "\"\\u0000\"", "\"c-1\\n\"", "1", "\"email:a@b.c\"", "\"\\u202esc-1\""]);
            Func<Random, string> serviceRef = r => Q(Pick(r, ServiceIds));
            Func<Random, string> resourceRef = r => r.Next(3) == 0 ? "null" : Q(Pick(r, ResourceIds));
            Func<Random, string> oddId = r => Pick(r, ["\"\"", "\"nope\"", Q(new string('s', 65)), Q(new string('s', 64)), "\"svc 0\"", "\"svc/0\"", "\"svc-0\\u0000\"", "\"SVC-0\"", "0", "\"r-x0\"", "\"svc-x0\""]);
            Func<Random, string> by = r => Pick(r, ["\"business\"", "\"customer\"", "null"]);
            Func<Random, string> oddBy = r => Pick(r, ["\"BUSINESS\"", "\"admin\"", "1", "\"\"", "\"business\\u0000\"", "true", "\"business \""]);
            Func<Random, string> oddText = r => Pick(r, ["\"\"", "\"   \"", "\"a\\u0000b\"", "\"tab\\there\"", Q(new string('n', 1001)), Q(new string('n', 201)), "1", "[]"]);

            Field[] location =
            [
                F("name", r => Q($"Studio {r.Next(10)}"), oddText),
                F("timeZone", zone, oddZone),
                F("holidays", r => r.Next(3) == 0 ? "[]" : $"[\"{Day(schedule.FirstDay, r.Next(30))}\",\"{Day(schedule.FirstDay, r.Next(30))}\"]", r => Pick(r, OddDays)),
            ];
            Field[] resource =
            [
                F("name", r => Q($"Person {r.Next(10)}"), oddText), F("kind", r => Q(Pick(r, ["staff", "room", "equipment"])), r => Q(new string('k', r.Next(33, 40)))),
                F("locationId", r => Q(Pick(r, LocationIds)), oddId), F("workingHours", Hours, r => Pick(r, OddHours)),
            ];
            Field[] timeOff = [F("startsAt", time, oddTime), F("endsAt", time, oddTime), F("reason", _ => Q("Holiday"), oddText)];
            Field[] service =
            [
                F("name", r => Q($"Service {r.Next(10)}"), oddText), F("duration", duration, oddDuration), F("bufferBefore", r => Q(Pick(r, ["PT0S", "PT5M", "PT10M"])), oddDuration),
                F("bufferAfter", r => Q(Pick(r, ["PT0S", "PT15M"])), oddDuration),
                F("resourceIds", r => Pick(r, ["[\"r-0\"]", "[\"r-0\",\"r-1\"]", "[\"r-2\"]", "[\"r-1\",\"r-2\"]"]), r => Pick(r, OddIdLists)),
                F("price", r => $"{r.Next(0, 300)}.{r.Next(100):00}", r => Pick(r, OddPrices)),
                F("currency", r => Q(Pick(r, ["EUR", "USD"])), r => Q(Pick(r, ["eur", "EURO", "€", "E1R", "", "ÄÖÜ", "EU"]))),
                F("minimumNotice", r => Q(Pick(r, ["PT0S", "PT1H"])), oddDuration), F("bookingHorizon", r => Q(Pick(r, ["P30D", "P60D", "P90D"])), oddDuration),
                F("cancellationCutoff", r => Q(Pick(r, ["PT0S", "PT24H"])), oddDuration), F("rescheduleCutoff", r => Q(Pick(r, ["PT0S", "PT12H"])), oddDuration),
                F("slotStep", r => Q(Pick(r, ["PT5M", "PT15M", "PT30M"])), oddDuration),
                F("reminderOffsets", r => Pick(r, ["[]", "[\"PT24H\",\"PT1H\"]", "[\"PT2H\"]"]),
                    r => Pick(r, ["[\"PT0S\"]", "[\"P31D\"]", "[\"PT1H\",\"PT2H\",\"PT3H\",\"PT4H\",\"PT5H\",\"PT6H\"]", "[\"PT24H\",\"PT24H\"]", "[\"P1M\"]", "[\"PT0.5S\"]", "[\"P99999999D\"]", "[1]", "\"PT1H\""])),
            ];
            Field[] book =
            [
                F("serviceId", serviceRef, oddId), F("resourceId", resourceRef, oddId), F("customerId", customer, oddCustomer), F("startsAt", time, oddTime),
                F("customerTimeZone", r => r.Next(3) == 0 ? "null" : Q(Pick(r, ["Europe/Vienna", "America/Los_Angeles", "Asia/Tokyo"])), oddZone),
                F("notes", r => r.Next(2) == 0 ? "null" : Q("Window seat, please"), oddText),
                F("clientKey", r => r.Next(2) == 0 ? "null" : Q($"ck-{r.Next(30)}"), r => Pick(r, ["\"\"", Q(new string('k', 129)), Q(new string('k', 128)), "\"k\\u0000\"", "7"])),
            ];
            Field[] reschedule = [F("startsAt", time, oddTime), F("resourceId", resourceRef, oddId), F("by", by, oddBy)];
            Field[] cancel = [F("reason", r => r.Next(3) == 0 ? "null" : Q("Cannot make it"), r => Pick(r, ["\"\\u0000\"", Q(new string('r', 501)), "{}", "12"])), F("by", by, oddBy)];
            Field[] waitlistDay =
            [
                F("customerId", customer, oddCustomer), F("serviceId", serviceRef, oddId), F("resourceId", resourceRef, oddId),
                F("date", r => Q(Day(schedule.FirstDay, r.Next(20))), r => r.Next(6) == 0 ? "20261201" : Q(Pick(r, OddDates))),
            ];
            Field[] waitlistWindow =
            [
                F("customerId", customer, oddCustomer), F("serviceId", serviceRef, oddId), F("resourceId", resourceRef, oddId),
                F("from", time, oddTime), F("until", time, oddTime),
            ];

            return
            [
                new("sched-location-put", "PUT", r => $"/v1/scheduling/locations/{Id(r, LocationIds, "loc-x")}", location, SchedulingWriteLimit),
                new("sched-location-get", "GET", r => $"/v1/scheduling/locations/{Id(r, LocationIds, "loc-x")}", null, SchedulingReadLimit),
                new("sched-locations-list", "GET", r => "/v1/scheduling/locations" + Pick(r, ["", "", "/", "?x=1"]), null, SchedulingReadLimit),
                new("sched-resource-put", "PUT", r => $"/v1/scheduling/resources/{Id(r, ResourceIds, "r-x")}", resource, SchedulingWriteLimit),
                new("sched-resource-get", "GET", r => $"/v1/scheduling/resources/{Id(r, ResourceIds, "r-x")}", null, SchedulingReadLimit),
                new("sched-resources-list", "GET", r => "/v1/scheduling/resources" + Pick(r, ["", "", "/", "?locationId=loc-0"]), null, SchedulingReadLimit),
                new("sched-resource-delete", "DELETE", r => $"/v1/scheduling/resources/{Id(r, ResourceIds, "r-x", scratchFirst: true)}", null, SchedulingWriteLimit),
                new("sched-time-off-add", "POST", r => $"/v1/scheduling/resources/{Id(r, ResourceIds, "r-x")}/time-off", timeOff, SchedulingWriteLimit),
                new("sched-time-off-delete", "DELETE", r => $"/v1/scheduling/resources/{Id(r, ResourceIds, "r-x")}/time-off/{Opaque(r, [], "to-")}", null, SchedulingWriteLimit),
                new("sched-service-put", "PUT", r => $"/v1/scheduling/services/{Id(r, ServiceIds, "svc-x")}", service, SchedulingWriteLimit),
                new("sched-service-get", "GET", r => $"/v1/scheduling/services/{Id(r, ServiceIds, "svc-x")}", null, SchedulingReadLimit),
                new("sched-services-list", "GET", r => "/v1/scheduling/services" + Pick(r, ["", "", "/", "?limit=1"]), null, SchedulingReadLimit),
                new("sched-service-delete", "DELETE", r => $"/v1/scheduling/services/{Id(r, ServiceIds, "svc-x", scratchFirst: true)}", null, SchedulingWriteLimit),
                new("sched-availability", "GET", r => "/v1/scheduling/availability" + AvailabilityQuery(r, schedule), null, SchedulingReadLimit),
                new("sched-book", "POST", _ => "/v1/scheduling/bookings", book, SchedulingWriteLimit),
                new("sched-book", "POST", _ => "/v1/scheduling/bookings", book, SchedulingWriteLimit),
                new("sched-bookings-list", "GET", r => "/v1/scheduling/bookings" + ListQuery(r), null, SchedulingReadLimit),
                new("sched-booking-get", "GET", r => $"/v1/scheduling/bookings/{Opaque(r, schedule.BookingIds, "bk-")}", null, SchedulingReadLimit),
                new("sched-reschedule", "POST", r => $"/v1/scheduling/bookings/{Opaque(r, schedule.BookingIds, "bk-")}/reschedule", reschedule, SchedulingWriteLimit),
                new("sched-cancel", "POST", r => $"/v1/scheduling/bookings/{Opaque(r, schedule.BookingIds, "bk-")}/cancel", cancel, SchedulingWriteLimit, OptionalBody: true),
                new("sched-complete", "POST", r => $"/v1/scheduling/bookings/{Opaque(r, schedule.BookingIds, "bk-")}/complete", null, SchedulingWriteLimit),
                new("sched-no-show", "POST", r => $"/v1/scheduling/bookings/{Opaque(r, schedule.BookingIds, "bk-")}/no-show", null, SchedulingWriteLimit),
                new("sched-waitlist-day", "POST", _ => "/v1/scheduling/waitlist", waitlistDay, SchedulingWriteLimit),
                new("sched-waitlist-window", "POST", _ => "/v1/scheduling/waitlist", waitlistWindow, SchedulingWriteLimit),
                new("sched-waitlist-get", "GET", r => $"/v1/scheduling/waitlist/{Opaque(r, schedule.WaitlistIds, "wl-")}", null, SchedulingReadLimit),
                new("sched-waitlist-withdraw", "DELETE", r => $"/v1/scheduling/waitlist/{Opaque(r, schedule.WaitlistIds, "wl-")}", null, SchedulingWriteLimit),
                new("sched-status", "GET", _ => "/v1/scheduling/status", null, SchedulingReadLimit),
                new("sched-odd-path", "GET", r => Pick(r, SchedulingOddPaths(schedule)), cancel, SchedulingReadLimit),
            ];
        }

        /// <summary>A start on a whole minute in the three weeks from the first day, with one of several offsets.</summary>
        private static string Start(Random random, ScheduleTargets schedule)
        {
            var minute = random.Next(4) == 0 ? random.Next(60) : 15 * random.Next(4);
            var offset = Pick(random, ["Z", "Z", "+01:00", "-05:00", "+05:30", "+00:00"]);
            return $"{Day(schedule.FirstDay, random.Next(21))}T{random.Next(24):00}:{minute:00}:00{offset}";
        }

        private static string Hours(Random random)
        {
            var days = WeekDays.Where(_ => random.Next(3) > 0).ToList();
            return "{" + string.Join(",", days.Select(d => $"\"{d}\":" + Pick(random,
            [
                """[{"start":"00:00","end":"24:00"}]""", """[{"start":"08:00","end":"12:00"},{"start":"13:00","end":"18:00"}]""", """[{"start":"09:00","end":"17:00"}]""",
                """[{"start":"22:00","end":"24:00"}]""", """[{"start":"00:00","end":"06:00"}]""",
            ]))) + "}";
        }

        private static readonly string[] WeekDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

        /// <summary>How many days after its first an availability search ends: within the limit of 62 days, at it, past it, or before the first.</summary>
        private static readonly int[] RangeLengths = [0, 0, 3, 6, 13, 61, 62, -1, 400];

        /// <summary>A schedule id: mostly one set up, some scratch ids the fuzzer may create, else hostile (long, %2F, %00, control characters).</summary>
        private static string Id(Random random, string[] known, string scratch, bool scratchFirst = false) => random.Next(100) switch
        {
            < 45 when !scratchFirst => Pick(random, known),
            < 15 => Pick(random, known),
            < 70 => $"{scratch}{random.Next(3)}",
            < 73 => new string('a', 64),
            < 75 => new string('a', 65),
            < 77 => scratch + "%2F0",
            < 78 => scratch + "%000",
            < 79 => new string('a', 10 * 1024),
            < 80 => HostileInputs.Repeat("%2F", 1200),
            < 81 => "r%C3%A9sum%C3%A9",
            _ => Pick(random, HostileInputs.PathSegments),
        };

        /// <summary>A booking, waitlist entry or time off id: one set up, one that could exist but does not, or hostile.</summary>
        private static string Opaque(Random random, IReadOnlyList<string> known, string prefix) => random.Next(100) switch
        {
            < 55 when known.Count > 0 => known[random.Next(known.Count)],
            < 65 => prefix + string.Concat(Enumerable.Range(0, 32).Select(_ => "0123456789abcdef"[random.Next(16)])),
            < 67 => prefix + new string('x', 253),
            < 69 => new string('x', 257),
            < 71 => prefix + "1%2F2",
            < 73 => prefix + "%00",
            < 74 => prefix + "%0A",
            < 75 => prefix.ToUpperInvariant() + "1",
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private static string AvailabilityQuery(Random random, ScheduleTargets schedule)
        {
            if (random.Next(20) == 0)
            {
                return Pick(random, ["", "?", "?&&&", "?serviceId=svc-0", "?serviceId=svc-0&from=&to=", "?=&=", "?serviceId[]=svc-0&from[]=x", "?serviceId=svc-0#x"]);
            }

            var first = random.Next(25);
            var (from, to) = random.Next(12) == 0
                ? Pick(random, EdgeRanges)
                : (QueryDate(random, schedule, first), QueryDate(random, schedule, first + RangeLengths[random.Next(RangeLengths.Length)]));
            var parameters = new List<string>
            {
                "serviceId=" + (random.Next(10) < 8 ? Pick(random, ServiceIds) : Pick(random, ["", "nope", "svc-x0", "%00", "svc%2F0", new string('s', 257), "svc-0%0A", "%FF"])),
                "from=" + from,
                "to=" + to,
            };
            if (random.Next(10) < 3)
            {
                parameters.Add("resourceId=" + (random.Next(4) > 0 ? Pick(random, ResourceIds) : Pick(random, ["nope", "", "%00", "r-x1"])));
            }

            if (random.Next(10) < 3)
            {
                parameters.Add("timeZone=" + Uri.EscapeDataString(random.Next(2) == 0 ? Pick(random, ["Europe/Berlin", "Asia/Kathmandu", "Pacific/Kiritimati", "America/St_Johns"]) : Pick(random, OddZones)));
            }

            if (random.Next(12) == 0)
            {
                parameters.Add(Pick(random, ["serviceId=svc-1", "from=2026-12-01", "limit=5", "TimeZone=UTC", "x=%00", "timeZone=Europe%2FBerlin&timeZone=UTC"]));
            }

            return "?" + string.Join("&", parameters.OrderBy(_ => random.Next()));
        }

        private static string QueryDate(Random random, ScheduleTargets schedule, int plus) =>
            random.Next(10) < 8 ? Day(schedule.FirstDay, plus) : random.Next(4) == 0 ? Pick(random, ["%00", "2026-12-01%00", "%FF", "2026-12-01%2B01:00"]) : Uri.EscapeDataString(Pick(random, OddDates));

        private static string ListQuery(Random random)
        {
            var parameters = new List<string>();
            if (random.Next(10) < 7)
            {
                parameters.Add("customerId=" + (random.Next(5) > 0 ? $"sc-{random.Next(10)}" : Pick(random, ["", "%00", "sc-setup", new string('c', 129), "%20", "c%0A1", "%ED%A0%80"])));
            }

            if (random.Next(10) < 3)
            {
                parameters.Add("resourceId=" + (random.Next(3) > 0 ? Pick(random, ResourceIds) : Pick(random, ["", "r%2F0", new string('r', 65), "%00"])));
            }

            foreach (var name in new[] { "from", "to" })
            {
                if (random.Next(10) < 3)
                {
                    parameters.Add(name + "=" + Pick(random,
                    [
                        "2026-12-01T09:00:00%2B01:00", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00+01:00", "2026-12-01T09:00:00", "2026-12-01",
                        "0001-01-01T00:00:00%2B14:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z", "2027-02-30T00:00:00Z",
                        "-0001-01-01T00:00:00Z", "%00", "", "now", "1970-01-01T00:00:00Z",
                    ]));
                }
            }

            if (random.Next(10) < 4)
            {
                parameters.Add("limit=" + Pick(random, ["1", "100", "500", "501", "0", "-1", "1e3", "", "%00", "99999999999", "+5", "%D9%A1", "5&limit=6"]));
            }

            if (random.Next(15) == 0)
            {
                parameters.Add(Pick(random, ["status=booked", "x=1", "CUSTOMERID=sc-1", "customerId=sc-1&customerId=sc-2"]));
            }

            return parameters.Count == 0 ? "" : "?" + string.Join("&", parameters);
        }

        private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

        private static string[] SchedulingOddPaths(ScheduleTargets schedule) =>
        [
            "/v1/scheduling", "/v1/scheduling/", "/v1/scheduling/bookings/", "/v1/scheduling/bookings//cancel", $"/v1/scheduling/bookings/{schedule.BookingIds[0]}/cancel/extra",
            $"/v1/scheduling/bookings/{schedule.BookingIds[0]}/delete", "/v1/scheduling/locations/loc-0/x", "/v1/scheduling/resources/r-0/time-off",
            "/v1/scheduling/resources/r-0/time-off/", "/v1/scheduling/waitlist", "/v1/scheduling/waitlist/", "/v1/scheduling/%2e%2e/%2e%2e/admin/v1/tenants",
            "/v1/scheduling/../customers/c-1", "/v1/SCHEDULING/bookings", "/v1/scheduling/bookings%00", "/v1/scheduling/bookings;x", "/v1/scheduling/availability/",
            "/v1/scheduling/bookings/" + new string('b', 4000), "/retention.scheduling.v1.Scheduling/Book", "/retention.scheduling.v1.Scheduling/GetBooking",
            "/v1/scheduling/status/x", "/v1/scheduling/bookings/bk-1/reschedule?startsAt=2026-12-01T09:00:00Z", "/v1/scheduling/services/svc-0/bookings",
            "/v1/scheduling/locations/%2e%2e", "/v1/scheduling/resources/%2e", "/v1/scheduling/bookings/%2F",
        ];
    }

    private sealed partial class GrpcFuzzer
    {
        public const string SchedulingService = "retention.scheduling.v1.Scheduling";

        public static readonly string[] SchedulingMethods =
            ["SearchAvailability", "Book", "Reschedule", "Cancel", "Complete", "MarkNoShow", "GetBooking", "ListBookings", "JoinWaitlist"];

        private static readonly string[] OddDateTexts =
            ["2027-02-30", "2026-13-01", "2026-1-1", "0000-01-01", "0001-01-01", "9999-12-31", "9999-12-30", "10000-01-01", "2026/12/01", "２０２６-１２-０１", "2026-12-01T00:00:00Z", ""];

        private static readonly string[] OddZoneTexts =
            ["Mars/Olympus_Mons", "Etc/GMT+99", "utc", "EST", "+01:00", "Europe/Berlin\0", "Asia/Kathmandu", "Pacific/Kiritimati", "Antarctica/Troll", new string('z', 65)];

        /// <summary>Seconds at the edges of what a google.protobuf.Timestamp may hold, and just past them.</summary>
        private static readonly long[] EdgeSeconds = [-62_135_596_800, -62_135_596_801, 253_402_300_740, 253_402_300_799, 253_402_300_800, 0, 1_800_000_030];

        /// <summary>The fields of a request message by their proto names, which is how Scheduling names a field violation.</summary>
        private static HashSet<string> MessageFields(IMessage message) =>
            message.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

        /// <summary>A Scheduling request for <paramref name="method"/>: mostly valid-looking, with ids, dates, zones and times often hostile.</summary>
        private IMessage SchedulingMessage(string method, ScheduleTargets targets) => method switch
        {
            "SearchAvailability" => Search(targets),
            "Book" => new Sched.BookRequest
            {
                ServiceId = ScheduleId(ServiceIds), ResourceId = Chance(0.4) ? "" : ScheduleId(ResourceIds), CustomerId = CustomerRef(), StartsAt = Start(targets),
                CustomerTimeZone = Chance(0.6) ? "" : Chance(0.5) ? "Asia/Tokyo" : Pick(OddZoneTexts), Notes = Chance(0.7) ? "" : Pick(HostileTexts),
                ClientKey = Chance(0.5) ? "" : Chance(0.7) ? $"gk-{random.Next(20)}" : Pick(HostileTexts),
            },
            "Reschedule" => new Sched.RescheduleRequest
            {
                BookingId = BookingRef(targets), StartsAt = Start(targets), ResourceId = Chance(0.5) ? "" : ScheduleId(ResourceIds), By = (Sched.Actor)random.Next(-1, 4),
            },
            "Cancel" => new Sched.CancelRequest { BookingId = BookingRef(targets), Reason = Chance(0.5) ? "" : Pick(HostileTexts), By = (Sched.Actor)random.Next(-1, 4) },
            "Complete" or "MarkNoShow" or "GetBooking" => new Sched.BookingRef { BookingId = BookingRef(targets) },
            "ListBookings" => new Sched.ListBookingsRequest { CustomerId = CustomerRef(), Limit = Pick([0, 0, 1, 100, 500, 501, -1, int.MaxValue, int.MinValue]) },
            _ => Waitlist(targets),
        };

        private Sched.SearchAvailabilityRequest Search(ScheduleTargets targets)
        {
            var request = new Sched.SearchAvailabilityRequest
            {
                ServiceId = ScheduleId(ServiceIds), ResourceId = Chance(0.6) ? "" : ScheduleId(ResourceIds), From = DateText(targets, 0), To = DateText(targets, Pick([0, 6, 61, 62, -1])),
                TimeZone = Chance(0.6) ? "" : Chance(0.4) ? Pick(["Europe/Berlin", "America/New_York"]) : Pick(OddZoneTexts),
            };
            if (Chance(0.12))
            {
                (request.From, request.To) = Pick(EdgeRanges);
            }

            return request;
        }

        private Sched.JoinWaitlistRequest Waitlist(ScheduleTargets targets)
        {
            var request = new Sched.JoinWaitlistRequest { CustomerId = CustomerRef(), ServiceId = ScheduleId(ServiceIds), ResourceId = Chance(0.6) ? "" : ScheduleId(ResourceIds) };
            switch (random.Next(5))
            {
                case 0 or 1:
                    request.Date = DateText(targets, random.Next(20));
                    break;
                case 2 or 3:
                    request.From = Start(targets);
                    request.Until = Start(targets);
                    break;
                default:
                    request.Date = DateText(targets, random.Next(20));
                    request.From = Chance(0.5) ? Start(targets) : null;
                    request.Until = Chance(0.5) ? Start(targets) : null;
                    break;
            }

            return request;
        }

        private string ScheduleId(string[] known) => Chance(0.75) ? Pick(known) : Pick(["nope", "svc-x0", "r-x0", new string('s', 65), "svc 0", "svc/0", .. HostileTexts]);

        private string CustomerRef() => Chance(0.7) ? $"sc-{random.Next(10)}" : Pick(HostileTexts);

        private string BookingRef(ScheduleTargets targets) => random.Next(10) switch
        {
            < 5 => Pick(targets.BookingIds),
            < 7 => $"bk-{random.Next():x8}{random.Next():x8}",
            7 => new string('b', Pick([256, 257])),
            _ => Pick(HostileTexts),
        };

        private string DateText(ScheduleTargets targets, int plus) => Chance(0.75) ? Day(targets.FirstDay, plus) : Pick(OddDateTexts);

        /// <summary>A start: mostly a whole minute in the three weeks from the first day; else off the minute, absent, or at the edges of time.</summary>
        private Timestamp? Start(ScheduleTargets targets)
        {
            var day = new DateTimeOffset(targets.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var valid = day.AddDays(random.Next(21)).AddHours(random.Next(24)).AddMinutes(random.Next(4) == 0 ? random.Next(60) : 15 * random.Next(4));
            return random.Next(10) switch
            {
                < 6 => Timestamp.FromDateTimeOffset(valid),
                6 => new Timestamp { Seconds = valid.ToUnixTimeSeconds() + Pick([1, 30, 59]), Nanos = Pick([0, 1, 999_999_999]) },
                7 => null,
                8 => new Timestamp { Seconds = Pick(EdgeSeconds), Nanos = Pick([0, 0, 1, -1, 1_000_000_000]) },
                _ => new Timestamp { Seconds = Pick(Seconds), Nanos = Pick(Nanos) },
            };
        }
    }
}
