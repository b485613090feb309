// The scheduling benchmark. In one run, on a throwaway PostgreSQL and the embedded Kafka broker, against the real
// Scheduling service on Kestrel (cleartext HTTP/2, the gateway's signed tenant header):
//   1. Set-up through the REST API: one location (Europe/Berlin), 50 resources working Monday-Saturday 09:00-18:00 with
//      a lunch hour, one 30-minute service with a 10-minute buffer after, offered every 15 minutes up to 60 days ahead.
//      Then about 30% of the working time of every day a search can cover is booked, through Scheduler.BookAsync in
//      process (the use case the REST route calls, without HTTP: quicker to set up; the outbox publishes as usual).
//   2. Availability search, 50 resources x 30 days over HTTP/2 (target: p99 under 20 ms), with the baselines in the
//      same shape (the status route; a one-day search of one resource) and the parts of a search in process.
//   3. Booking throughput with contention (target: at least 1,000 bookings/s, no double booking): 64 clients, 4 racing
//      for each slot of a named resource, over HTTP/2; the baselines in the same shape (the status route, the use case
//      in process, the INSERT alone); then PostgreSQL is asked for overlapping booked appointments.
//   4. Each target, met or missed. Phases print CPU time too: on a shared machine wall-clock rates understate.
// Usage: dotnet run -c Release --project tests/RetentionPlatform.Scheduling.Benchmarks [-- --quick]
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using NodaTime;
using Npgsql;
using RetentionPlatform.Scheduling;
using RetentionPlatform.Scheduling.Benchmarks;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Testing;

const string Tenant = "bench-salon";
const int Seed = 20261124;
const double P99TargetMs = 20;
const double BookingTarget = 1_000;

// A failure must end the process normally: the test servers (PostgreSQL above all) are stopped on process exit,
// which an unhandled exception skips.
try
{
    return await RunAsync();
}
catch (Exception e)
{
    Console.Error.WriteLine($"The benchmark failed: {e}");
    return 1;
}

async Task<int> RunAsync()
{
    var quick = args.Contains("--quick");
    var requests = quick ? 300 : 2_000;
    const int Callers = 4;
    var inProcess = quick ? 100 : 300;
    const int Groups = 16;
    const int Racers = 4;
    var raceWarmup = TimeSpan.FromSeconds(quick ? 2 : 3);
    var raceDuration = TimeSpan.FromSeconds(quick ? 4 : 15);
    var baselineDuration = TimeSpan.FromSeconds(quick ? 3 : 6);
    const double TakenShare = 0.3;
    const int SearchedDays = 36;
    const int PrebookConcurrency = 16;

    var run = Stopwatch.StartNew();
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(c, $"Scheduling benchmark on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, seed {Seed}; load average {MachineLoad.Average()} (1/5/15 min)"));

    // 1. Set-up
    Console.WriteLine();
    Console.WriteLine("1. Set-up");
    var stopwatch = Stopwatch.StartNew();
    var connectionString = await TestServers.CreateDatabaseAsync("schedbench");
    var postgresPort = new NpgsqlConnectionStringBuilder(connectionString).Port;
    await using var db = NpgsqlDataSource.Create(connectionString);
    var ready = stopwatch.Elapsed;
    var settings = await SettingsAsync(db);
    Console.WriteLine(string.Create(c, $"   PostgreSQL ready (throwaway server, fresh database) in {ready.TotalSeconds:0.0} s; {settings}"));
    await using var service = await SchedulingServiceHost.StartAsync(connectionString);
    var servicePool = new NpgsqlConnectionStringBuilder(service.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString).MaxPoolSize;
    Console.WriteLine(string.Create(c, $"   service started (migrations, Kafka consumers, outbox dispatcher) in {service.StartTime.TotalSeconds:0.0} s on {service.Address} (cleartext HTTP/2); its Npgsql pool: at most {servicePool} connections"));

    using var client = new TenantClient(service.Address, service.GatewaySecret, Tenant);
    stopwatch.Restart();
    await BenchSchedule.CreateAsync(client);
    Console.WriteLine(string.Create(c, $"   schedule through the REST API (PUT 1 location, {BenchSchedule.ResourceCount} resources, 1 service): {stopwatch.Elapsed.TotalSeconds:0.0} s"));

    var today = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()).InZone(BenchSchedule.Zone).Date;
    var firstDay = today.PlusDays(1);
    var random = new Random(Seed);
    var (planned, taken) = BenchSchedule.PlanPrebookings(firstDay, SearchedDays, TakenShare, random);
    var scheduler = service.Services.GetRequiredService<Scheduler>();
    var failed = 0;
    var next = -1;
    stopwatch.Restart();
    await Task.WhenAll(Enumerable.Range(0, PrebookConcurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < planned.Count)
        {
            var booking = planned[i];
            var customer = string.Create(CultureInfo.InvariantCulture, $"regular-{i % 5_000}");
            var result = await scheduler.BookAsync(Tenant, new BookRequest(BenchSchedule.ServiceId, booking.ResourceId, customer, booking.Start, null, null, null), CancellationToken.None);
            if (!result.Created)
            {
                Interlocked.Increment(ref failed);
            }
        }
    })));
    var prebooking = stopwatch.Elapsed;
    Console.WriteLine(string.Create(c, $"   pre-booked {planned.Count - failed:N0} appointments ({failed} refused) on {firstDay:uuuu-MM-dd} .. {firstDay.PlusDays(SearchedDays - 1):uuuu-MM-dd} (every day a search covers), {taken:P1} of the working time,"));
    Console.WriteLine(string.Create(c, $"      through Scheduler.BookAsync in process, {PrebookConcurrency} at a time, uncontended: {prebooking.TotalSeconds:0.0} s ({planned.Count / prebooking.TotalSeconds:N0} bookings/s)"));
    stopwatch.Restart();
    long pending;
    while ((pending = await PendingOutboxAsync(db)) > 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(250);
    }

    Console.WriteLine(string.Create(c, $"   outbox: the appointment events due now published to Kafka {stopwatch.Elapsed.TotalSeconds:0.0} s after the last booking ({pending:N0} left)"));
    var raceSlots = BenchSchedule.RaceSlots(firstDay, 59, planned, random);
    var idle = await CpuMeter.IdleProcessCpuPerSecondAsync(TimeSpan.FromSeconds(2));
    Console.WriteLine(string.Create(c, $"   idle (no requests), this process uses {idle.TotalMilliseconds:N0} ms CPU per second (Kafka broker and consumers, outbox polling, timers); CPU per operation below includes it"));

    // 2. Availability
    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"2. Availability search over HTTP/2, GET /v1/scheduling/availability (target: {BenchSchedule.ResourceCount} resources x 30 days, p99 under {P99TargetMs} ms)"));
    var (search, cpuPerSearch) = await AvailabilityPhase.RunAsync(service, client, Tenant, firstDay, requests, Callers, inProcess, db, postgresPort, random);

    // 3. Booking throughput with contention
    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"3. Booking throughput with contention (target: at least {BookingTarget:N0} bookings/s, no double booking); {raceSlots.Count:N0} free non-overlapping slots to race for"));
    var (race, cpuPerAttempt, doubles, countsMatch) = await BookingPhase.RunAsync(
        service, client, Tenant, raceSlots, Groups, Racers, raceWarmup, raceDuration, baselineDuration, db, postgresPort);

    // 4. Summary
    Console.WriteLine();
    Console.WriteLine("4. Summary");
    Console.WriteLine(string.Create(c, $"   availability, {BenchSchedule.ResourceCount} resources x 30 days, {Callers} callers over HTTP/2: p99 < {P99TargetMs} ms        : p99 {search.P99,7:0.00} ms, {search.Failures} failed  {Verdict(search.P99 < P99TargetMs && search.Failures == 0)}"));
    Console.WriteLine(string.Create(c, $"   booking with contention ({Groups * Racers} clients, {Racers} per slot): >= {BookingTarget:N0} bookings/s       : {race.BookedPerSecond,7:N0} bookings/s  {Verdict(race.BookedPerSecond >= BookingTarget)}"));
    Console.WriteLine(string.Create(c, $"   no double booking (overlap query), booked rows == 201 answers            : {doubles} overlapping pairs, counts {(countsMatch ? "equal" : "DIFFERENT")}  {Verdict(doubles == 0 && countsMatch && race.SlotsWithSeveralWinners == 0)}"));
    var failedAttempts = race.Attempts - race.Booked - race.Conflicts.Calls;
    Console.WriteLine(string.Create(c, $"   every racer answered 201 or 409 (no 5xx)                                : {failedAttempts} of {race.Attempts:N0} attempts answered otherwise ({race.OtherAnswers})  {Verdict(failedAttempts == 0)}"));
    // What the measured CPU cost allows if the machine's cores served this benchmark alone (on a shared machine the
    // wall-clock rates above are lower; CPU time per operation is what changes with the code). The process's CPU
    // includes the load generator and its idle work, so these err low.
    var cores = Environment.ProcessorCount;
    var attemptsPerBooking = (double)race.Attempts / Math.Max(1, race.Booked);
    Console.WriteLine(string.Create(c, $"   CPU per 30-day search (this process + PostgreSQL): {cpuPerSearch:0.0} ms, about {cores * 1000 / cpuPerSearch:N0} searches/s if the {cores} cores were ours alone; a search's steps run one after another, so that is also about one search's latency on idle cores"));
    Console.WriteLine(string.Create(c, $"   CPU per booking attempt over HTTP (this process + PostgreSQL): {cpuPerAttempt:0.00} ms x {attemptsPerBooking:0.0} attempts per booking = {cpuPerAttempt * attemptsPerBooking:0.0} ms per booking, about {cores * 1000 / (cpuPerAttempt * attemptsPerBooking):N0} bookings/s if the {cores} cores were ours alone"));
    Console.WriteLine(string.Create(c, $"   whole run: {run.Elapsed.TotalSeconds:0} s; load average now {MachineLoad.Average()} (1/5/15 min) on {Environment.ProcessorCount} cores"));
    return 0;
}

static string Verdict(bool met) => met ? "MET" : "MISSED";

static async Task<long> PendingOutboxAsync(NpgsqlDataSource db)
{
    await using var command = db.CreateCommand("select count(*) from scheduling.outbox where published_at is null and due_at <= now()");
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task<string> SettingsAsync(NpgsqlDataSource db)
{
    await using var command = db.CreateCommand(
        "select format('PostgreSQL %s, max_connections %s, shared_buffers %s, fsync %s, synchronous_commit %s', current_setting('server_version'), current_setting('max_connections'), current_setting('shared_buffers'), current_setting('fsync'), current_setting('synchronous_commit'))");
    return (string)(await command.ExecuteScalarAsync())!;
}
