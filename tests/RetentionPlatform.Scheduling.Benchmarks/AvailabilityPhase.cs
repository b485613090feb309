using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using RetentionPlatform.Scheduling.Apis;
using RetentionPlatform.Scheduling.Infrastructure;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// Availability search over REST for every resource over 30 days (a random start within the next week), closed loop
/// with a few callers on one HTTP/2 connection; then the same with one caller; the baselines (the status route:
/// transport, tenant signature check, routing; a one-day search of one resource) in the same shape; and the parts of a
/// search in process, one at a time, over the same queries: the use case without HTTP, the schedule's version check,
/// the busy-times query, the engine alone, the answer's JSON.
/// </summary>
internal static class AvailabilityPhase
{
    private static readonly byte[] SlotMarker = "\"startsAt\""u8.ToArray();
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Returns the 30-day search's latencies and its CPU milliseconds per search (this process plus PostgreSQL).</summary>
    public static async Task<(Latencies Search, double CpuPerSearch)> RunAsync(
        SchedulingServiceHost host, TenantClient client, string tenant, LocalDate firstDay, int requests, int callers, int inProcess,
        NpgsqlDataSource db, int postgresPort, Random random)
    {
        var c = CultureInfo.InvariantCulture;
        var starts = Enumerable.Range(0, requests).Select(_ => firstDay.PlusDays(random.Next(7))).ToArray();
        var oneDay = Enumerable.Range(0, requests)
            .Select(_ => (Day: firstDay.PlusDays(random.Next(30)), Resource: BenchSchedule.ResourceIds[random.Next(BenchSchedule.ResourceCount)]))
            .ToArray();
        var bytes = new int[requests];
        var slots = new int[requests];

        async Task<bool> Search(int i)
        {
            var (status, size, markers) = await client.SendCountingAsync(HttpMethod.Get, Url(starts[i % requests], starts[i % requests].PlusDays(29), null), SlotMarker);
            bytes[i % requests] = size;
            slots[i % requests] = markers;
            return status == HttpStatusCode.OK;
        }

        async Task<bool> OneDay(int i)
        {
            var (day, resource) = oneDay[i % requests];
            var (status, _, _) = await client.SendCountingAsync(HttpMethod.Get, Url(day, day, resource), SlotMarker);
            return status == HttpStatusCode.OK;
        }

        async Task<bool> Status(int i) => (await client.SendAsync(HttpMethod.Get, "/v1/scheduling/status")).Status == HttpStatusCode.OK;

        // The answer over HTTP must be the answer of the use case in process (the same data, the same code).
        var scheduler = host.Services.GetRequiredService<Scheduler>();
        var (checkStatus, checkBody) = await client.SendAsync(HttpMethod.Get, Url(starts[0], starts[0].PlusDays(29), null), keepBody: true);
        var expected = (await scheduler.SearchAsync(tenant, Query(starts[0]), CancellationToken.None)).Value!;
        using (var answer = JsonDocument.Parse(checkBody!))
        {
            var answered = answer.RootElement.GetProperty("slots");
            var entries = answered.EnumerateArray().Sum(s => s.GetProperty("resourceIds").GetArrayLength());
            var same = checkStatus == HttpStatusCode.OK && answered.GetArrayLength() == expected.Slots.Count && entries == expected.Slots.Sum(s => s.ResourceIds.Count);
            Console.WriteLine(string.Create(c, $"   check: the HTTP answer for {starts[0]:uuuu-MM-dd} + 30 days has {answered.GetArrayLength():N0} slots with {entries:N0} free resource entries, {checkBody!.Length / 1024.0:N0} KiB; in process {expected.Slots.Count:N0} slots: {(same ? "the same" : "DIFFERENT")}"));
        }

        // Warm-up: JIT, connections in the pool, the schedule cached.
        await ClosedLoop.RunAsync(callers, Math.Min(200, requests), Search);
        await ClosedLoop.RunAsync(callers, Math.Min(200, requests), Status);
        await ClosedLoop.RunAsync(callers, Math.Min(200, requests), OneDay);

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var cpu = new CpuMeter(postgresPort);
        var sampler = PostgresWaitSampler.Start(db);
        var search = await ClosedLoop.RunAsync(callers, requests, Search);
        var waits = await sampler.StopAsync();
        var (processPerSearch, postgresPerSearch) = cpu.PerOperation(requests);
        Console.WriteLine(string.Create(c, $"   a. 30 days x {BenchSchedule.ResourceCount} resources, {callers} callers, {requests:N0} requests: {search}"));
        Console.WriteLine(string.Create(c, $"      slots per answer: mean {slots.Average():N0} (min {slots.Min():N0}, max {slots.Max():N0}); answer size mean {bytes.Average() / 1024:N0} KiB"));
        Console.WriteLine($"      {cpu.Summary(requests, "search")}");
        Console.WriteLine($"      PostgreSQL backends meanwhile: {waits}");

        var sequential = await ClosedLoop.RunAsync(1, requests / 8, Search);
        Console.WriteLine(string.Create(c, $"   b. the same, one caller at a time, {requests / 8:N0} requests:          {sequential}"));

        var status = await ClosedLoop.RunAsync(callers, requests, Status);
        Console.WriteLine(string.Create(c, $"   c. baseline, GET /v1/scheduling/status, {callers} callers, {requests:N0} requests: {status}"));
        var single = await ClosedLoop.RunAsync(callers, requests, OneDay);
        Console.WriteLine(string.Create(c, $"   d. baseline, 1 day x 1 resource search, {callers} callers, {requests:N0} requests: {single}"));

        await InProcessAsync(host, tenant, starts[..Math.Min(inProcess, requests)], postgresPort);
        var plan = await BusyPlanAsync(db, tenant, starts[0]);
        Console.WriteLine($"   the busy-times query (BookingStore.BusyAsync's SQL, 50 resources, 32 days), EXPLAIN ANALYZE: {plan}");
        return (search, processPerSearch + postgresPerSearch);
    }

    /// <summary>The parts of a search, in process, one at a time, over the same 30-day queries.</summary>
    private static async Task InProcessAsync(SchedulingServiceHost host, string tenant, LocalDate[] starts, int postgresPort)
    {
        var c = CultureInfo.InvariantCulture;
        var scheduler = host.Services.GetRequiredService<Scheduler>();
        var schedules = host.Services.GetRequiredService<ScheduleStore>();
        var bookings = host.Services.GetRequiredService<BookingStore>();
        var ct = CancellationToken.None;
        var schedule = await schedules.GetAsync(tenant, ct);
        var service = schedule.Services[BenchSchedule.ServiceId];
        var resources = schedule.ResourcesFor(service);
        var resourceIds = resources.Select(r => r.ResourceId).ToArray();
        var zone = BenchSchedule.Zone;
        var day = Duration.FromDays(1);
        var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        (Instant From, Instant Until) Range(LocalDate from) => (zone.AtStartOfDay(from).ToInstant(), zone.AtStartOfDay(from.PlusDays(30)).ToInstant());

        // The data of each distinct query, fetched beforehand, for the engine and the JSON alone.
        var busy = new Dictionary<LocalDate, Dictionary<string, BusyTimes>>();
        var results = new Dictionary<LocalDate, AvailabilityResult>();
        foreach (var from in starts.Distinct())
        {
            var (start, until) = Range(from);
            busy[from] = await bookings.BusyAsync(tenant, resourceIds, start - day, until + day, ct);
            results[from] = (await scheduler.SearchAsync(tenant, Query(from), ct)).Value!;
        }

        var (firstFrom, firstUntil) = Range(starts[0]);
        var candidates = AvailabilityEngine.Search(schedule, service, resources, firstFrom, firstUntil, new Dictionary<string, BusyTimes>(), now).Sum(s => s.ResourceIds.Count);
        var free = results[starts[0]].Slots.Sum(s => s.ResourceIds.Count);
        Console.WriteLine(string.Create(c, $"   in process, one at a time, {starts.Length:N0} of the same 30-day queries (no HTTP); {free:N0} of {candidates:N0} start x resource pairs free ({(double)free / candidates:P0}) in the first:"));

        var full = await TimeAsync(starts, postgresPort, async from => await scheduler.SearchAsync(tenant, Query(from), ct));
        Console.WriteLine($"      Scheduler.SearchAsync (the whole use case)                : {full}");
        var version = await TimeAsync(starts, postgresPort, async _ => await schedules.GetAsync(tenant, ct));
        Console.WriteLine($"      of which ScheduleStore.GetAsync (version check)         : {version}");
        var busyQuery = await TimeAsync(starts, postgresPort, async from =>
        {
            var (start, until) = Range(from);
            await bookings.BusyAsync(tenant, resourceIds, start - day, until + day, ct);
        });
        Console.WriteLine($"      of which BookingStore.BusyAsync (busy times, SQL)       : {busyQuery}");
        var engine = await TimeAsync(starts, postgresPort, from =>
        {
            var (start, until) = Range(from);
            AvailabilityEngine.Search(schedule, service, resources, start, until, busy[from], now);
            return Task.CompletedTask;
        });
        Console.WriteLine($"      of which AvailabilityEngine.Search (no database)        : {engine}");
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var json = await TimeAsync(starts, postgresPort, from =>
        {
            buffer.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(buffer);
            JsonSerializer.Serialize(writer, AvailabilityDocument.From(results[from]), Web);
            return Task.CompletedTask;
        });
        Console.WriteLine($"      and outside it, the answer as JSON (AvailabilityDocument) : {json}");
    }

    private static AvailabilityQuery Query(LocalDate from) => new(BenchSchedule.ServiceId, null, from, from.PlusDays(29), null);

    private static string Url(LocalDate from, LocalDate to, string? resource) =>
        $"/v1/scheduling/availability?serviceId={BenchSchedule.ServiceId}&from={LocalDatePattern.Iso.Format(from)}&to={LocalDatePattern.Iso.Format(to)}"
        + (resource is null ? "" : $"&resourceId={resource}");

    /// <summary>Each call's latency, and the CPU time per call of this process and of PostgreSQL (robust when the machine is shared).</summary>
    private static async Task<string> TimeAsync(LocalDate[] starts, int postgresPort, Func<LocalDate, Task> call)
    {
        var milliseconds = new List<double>(starts.Length);
        var total = Stopwatch.StartNew();
        var process = MachineLoad.ProcessCpu();
        var postgres = MachineLoad.PostgresCpu(postgresPort);
        foreach (var from in starts)
        {
            var started = Stopwatch.GetTimestamp();
            await call(from);
            milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var processCpu = (MachineLoad.ProcessCpu() - process).TotalMilliseconds / starts.Length;
        var postgresCpu = (MachineLoad.PostgresCpu(postgresPort) - postgres).TotalMilliseconds / starts.Length;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Latencies.From(milliseconds, 0, total.Elapsed.TotalSeconds).Percentiles}; CPU per call: process {processCpu,5:0.00} ms, PostgreSQL {postgresCpu,5:0.00} ms");
    }

    /// <summary>EXPLAIN ANALYZE of the service's busy-times query (its text copied from BookingStore) for one 30-day search.</summary>
    private static async Task<string> BusyPlanAsync(NpgsqlDataSource db, string tenant, LocalDate from)
    {
        await using var command = db.CreateCommand(
            """
            explain (analyze, format json)
            select resource_id, blocked_from, blocked_until from scheduling.bookings
            where tenant_id = $1 and resource_id = any($2) and status = 'booked'
                and tstzrange(blocked_from, blocked_until) && tstzrange($3, $4)
            """);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = BenchSchedule.ResourceIds.ToArray() });
        command.Parameters.Add(new() { Value = (BenchSchedule.Zone.AtStartOfDay(from).ToInstant() - Duration.FromDays(1)).ToDateTimeUtc() });
        command.Parameters.Add(new() { Value = (BenchSchedule.Zone.AtStartOfDay(from.PlusDays(30)).ToInstant() + Duration.FromDays(1)).ToDateTimeUtc() });
        using var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        var root = plan.RootElement[0];
        var nodes = new List<string>();
        for (var node = root.GetProperty("Plan"); ; node = node.GetProperty("Plans")[0])
        {
            var index = node.TryGetProperty("Index Name", out var name) ? $" on {name.GetString()}" : "";
            nodes.Add(string.Create(CultureInfo.InvariantCulture, $"{node.GetProperty("Node Type").GetString()}{index} ({node.GetProperty("Actual Rows").GetDouble():N0} rows)"));
            if (!node.TryGetProperty("Plans", out _))
            {
                break;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{string.Join(" <- ", nodes)}, execution {root.GetProperty("Execution Time").GetDouble():0.00} ms");
    }
}
