using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using NodaTime;
using Npgsql;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// Booking throughput under contention: racing clients POST /v1/scheduling/bookings over HTTP/2 for free slots of a
/// named resource, several per slot. Around it, in the same load shape: the status route (what HTTP/2, the signature
/// check and routing cost at this concurrency), Scheduler.BookAsync in process (the use case without HTTP), and the
/// service's INSERT statement alone in autocommit on the same table and exclusion constraint, behind the same
/// per-resource-day advisory lock (what PostgreSQL's durable, checked write costs by itself). Then PostgreSQL is asked whether any two booked appointments of a resource overlap.
/// </summary>
internal static class BookingPhase
{
    public const string RawTenant = "bench-raw";

    /// <summary>Returns the HTTP race, its CPU milliseconds per attempt (this process plus PostgreSQL), and the checks.</summary>
    public static async Task<(RaceResult Http, double CpuPerAttempt, long DoubleBookings, bool CountsMatch)> RunAsync(
        SchedulingServiceHost host, TenantClient client, string tenant, IReadOnlyList<PlannedBooking> slots,
        int groups, int racers, TimeSpan warmup, TimeSpan duration, TimeSpan baselineDuration, NpgsqlDataSource db, int postgresPort)
    {
        var c = CultureInfo.InvariantCulture;
        var clients = groups * racers;
        var pool = new SlotPool(slots);

        async Task<int> Http(PlannedBooking slot, string customer) =>
            (int)(await client.SendAsync(HttpMethod.Post, "/v1/scheduling/bookings", BenchSchedule.BookingJson(slot, customer))).Status;

        var status = await ClosedLoop.RunAsync(clients, baselineDuration, async _ => (await client.SendAsync(HttpMethod.Get, "/v1/scheduling/status")).Status == HttpStatusCode.OK);
        Console.WriteLine(string.Create(c, $"   a. baseline, GET /v1/scheduling/status, {clients} clients, {baselineDuration.TotalSeconds:0} s: {status.Rate,7:N0} requests/s ({status.Percentiles}, {status.Failures} failed)"));

        var warm = await BookingRace.RunAsync(groups, racers, warmup, pool, "race-warm", Http);
        Console.WriteLine(string.Create(c, $"   warm-up, {warmup.TotalSeconds:0} s: {warm.Booked:N0} booked, {warm.Attempts:N0} attempts ({warm.BookedPerSecond:N0} bookings/s)"));

        var cpu = new CpuMeter(postgresPort);
        var sampler = PostgresWaitSampler.Start(db);
        var http = await BookingRace.RunAsync(groups, racers, duration, pool, "race-http", Http);
        var waits = await sampler.StopAsync();
        var (processPerAttempt, postgresPerAttempt) = cpu.PerOperation(http.Attempts);
        Console.WriteLine(string.Create(c, $"   b. POST /v1/scheduling/bookings over HTTP/2, {clients} clients = {groups} groups of {racers} racing for each slot (resource named), {duration.TotalSeconds:0} s:"));
        foreach (var line in http.Describe("      "))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"      {cpu.Summary(http.Attempts, "attempt")}");
        Console.WriteLine($"      PostgreSQL backends meanwhile: {waits}");
        var pending = await PendingOutboxAsync(db);
        Console.WriteLine(string.Create(c, $"      outbox: {pending:N0} due events not yet published to Kafka at the end"));
        if (pool.Taken == pool.Count)
        {
            Console.WriteLine(string.Create(c, $"      (the pool of {pool.Count:N0} free slots ran out: the run ended early)"));
        }

        var scheduler = host.Services.GetRequiredService<Scheduler>();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        async Task<int> InProcess(PlannedBooking slot, string customer)
        {
            try
            {
                var result = await scheduler.BookAsync(tenant, new BookRequest(BenchSchedule.ServiceId, slot.ResourceId, customer, slot.Start, null, null, null), CancellationToken.None);
                return result.Created ? 201 : result.Error?.Kind == SchedulingErrorKind.Conflict ? 409 : 422;
            }
            catch (PostgresException e)
            {
                // What the REST route answers when the use case throws.
                errors.AddOrUpdate($"{e.SqlState} {e.MessageText}", 1, (_, n) => n + 1);
                return 500;
            }
        }

        cpu = new CpuMeter(postgresPort);
        var inProcess = await BookingRace.RunAsync(groups, racers, baselineDuration, pool, "race-proc", InProcess);
        Console.WriteLine(string.Create(c, $"   c. Scheduler.BookAsync in process (no HTTP), same shape, {baselineDuration.TotalSeconds:0} s:"));
        foreach (var line in inProcess.Describe("      "))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"      {cpu.Summary(inProcess.Attempts, "attempt")}");
        Console.WriteLine($"      PostgreSQL errors thrown out of Scheduler.BookAsync (the REST route's 500s): {Describe(errors)}");

        // The raw INSERT runs for another tenant on the same slots: the same table, index and exclusion constraint, and
        // like the service's INSERT (BookingStore) it first queues on a transaction lock per resource and UTC day.
        var rawPool = new SlotPool(slots);
        async Task<int> Raw(PlannedBooking slot, string customer)
        {
            await using var insert = db.CreateCommand(
                """
                insert into scheduling.bookings (tenant_id, booking_id, service_id, resource_id, location_id, customer_id, starts_at, ends_at,
                    blocked_from, blocked_until, status, created_at, updated_at)
                select $1, $2, $3, $4, $5, $6, $7, $8, $7, $9, 'booked', now(), now()
                from (select pg_advisory_xact_lock(hashtextextended($10, 0))) as serialised
                """);
            insert.Parameters.Add(new() { Value = RawTenant });
            insert.Parameters.Add(new() { Value = $"bk-{Guid.CreateVersion7():N}" });
            insert.Parameters.Add(new() { Value = BenchSchedule.ServiceId });
            insert.Parameters.Add(new() { Value = slot.ResourceId });
            insert.Parameters.Add(new() { Value = BenchSchedule.LocationId });
            insert.Parameters.Add(new() { Value = customer });
            insert.Parameters.Add(new() { Value = slot.Start.ToDateTimeUtc() });
            insert.Parameters.Add(new() { Value = (slot.Start + BenchSchedule.AppointmentLength).ToDateTimeUtc() });
            insert.Parameters.Add(new() { Value = (slot.Start + BenchSchedule.Blocked).ToDateTimeUtc() });
            insert.Parameters.Add(new() { Value = string.Create(CultureInfo.InvariantCulture, $"scheduling/{RawTenant}/{slot.ResourceId}/{slot.Start.ToUnixTimeTicks() / NodaConstants.TicksPerDay}") });
            try
            {
                await insert.ExecuteNonQueryAsync();
                return 201;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
            {
                return 409;
            }
            catch (PostgresException e)
            {
                errors.AddOrUpdate($"{e.SqlState} {e.MessageText}", 1, (_, n) => n + 1);
                return 500;
            }
        }

        cpu = new CpuMeter(postgresPort);
        errors.Clear();
        var raw = await BookingRace.RunAsync(groups, racers, baselineDuration, rawPool, "race-raw", Raw);
        Console.WriteLine(string.Create(c, $"   d. baseline, the service's INSERT statement alone (its advisory lock included; autocommit, no outbox, no schedule read, no HTTP), same shape, {baselineDuration.TotalSeconds:0} s:"));
        foreach (var line in raw.Describe("      "))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"      {cpu.Summary(raw.Attempts, "attempt")}");
        Console.WriteLine($"      PostgreSQL errors other than the exclusion violation: {Describe(errors)}");

        var (doubles, countsMatch) = await VerifyAsync(db, tenant, [("race-warm", warm.Booked), ("race-http", http.Booked), ("race-proc", inProcess.Booked)], raw.Booked);
        return (http, processPerAttempt + postgresPerAttempt, doubles, countsMatch);
    }

    private static string Describe(ConcurrentDictionary<string, int> errors) => errors.IsEmpty
        ? "none"
        : string.Join("; ", errors.OrderByDescending(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value:N0} x {p.Key}")));

    private static async Task<long> DeadlocksAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("select deadlocks from pg_stat_database where datname = current_database()");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> PendingOutboxAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("select count(*) from scheduling.outbox where published_at is null and due_at <= now()");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Asks PostgreSQL for overlapping booked appointments of one resource, and counts each run's bookings against its 201s.</summary>
    private static async Task<(long DoubleBookings, bool CountsMatch)> VerifyAsync(NpgsqlDataSource db, string tenant, (string Prefix, int Created)[] runs, int rawCreated)
    {
        var c = CultureInfo.InvariantCulture;
        long doubles;
        var countsMatch = true;
        await using (var overlaps = db.CreateCommand(
            """
            select count(*) from scheduling.bookings a
            join scheduling.bookings b on a.tenant_id = b.tenant_id and a.resource_id = b.resource_id and a.booking_id < b.booking_id
                and tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
            where a.status = 'booked' and b.status = 'booked'
            """))
        {
            doubles = (long)(await overlaps.ExecuteScalarAsync())!;
            Console.WriteLine(string.Create(c, $"   e. double bookings (pairs of booked appointments of one tenant's resource whose blocked times overlap, all tenants): {doubles}"));
            var deadlocks = await DeadlocksAsync(db);
            Console.WriteLine(string.Create(c, $"      deadlocks PostgreSQL detected in this database so far (pg_stat_database; the last second's may not be counted yet): {deadlocks:N0}"));
        }

        foreach (var (prefix, created) in runs)
        {
            await using var count = db.CreateCommand("select count(*) from scheduling.bookings where tenant_id = $1 and status = 'booked' and customer_id like $2");
            count.Parameters.Add(new() { Value = tenant });
            count.Parameters.Add(new() { Value = prefix + "-%" });
            var booked = (long)(await count.ExecuteScalarAsync())!;
            countsMatch &= booked == created;
            Console.WriteLine(string.Create(c, $"      {prefix}: {booked:N0} booked rows, {created:N0} answered 201: {(booked == created ? "equal" : "DIFFERENT")}"));
        }

        await using var rawCount = db.CreateCommand("select count(*) from scheduling.bookings where tenant_id = $1 and status = 'booked'");
        rawCount.Parameters.Add(new() { Value = RawTenant });
        var rawBooked = (long)(await rawCount.ExecuteScalarAsync())!;
        Console.WriteLine(string.Create(c, $"      race-raw: {rawBooked:N0} booked rows, {rawCreated:N0} inserted: {(rawBooked == rawCreated ? "equal" : "DIFFERENT")}"));
        return (doubles, countsMatch && rawBooked == rawCreated);
    }
}
