// The recommendations benchmark (issue 5, item 6). In one run, on a throwaway PostgreSQL and the embedded Kafka broker:
//   1. Load: a generated shop (100,000 items in 200 categories, 1,000,000 interactions by 100,000 customers, Zipf-like
//      popularity, planted co-purchase bundles, fixed seed) copied into PostgreSQL and into an in-memory model.
//   2. Model update throughput: TenantModel.Apply over the 1M interactions on one thread, against a trivial pass over
//      the same interactions (dictionary lookups only); then the durable path, the service's CustomerEventsProcessor
//      over real PostgreSQL, fed the events that follow the history as the Kafka consumer hands them over.
//      For comparison, the same path when views carry no item attributes, and with Npgsql's statement preparation.
//   3. Latency through gRPC at a fixed rate (open loop, from the scheduled send): the real service, started on that
//      database (its loader rebuilds the model), RecommendForCustomer, then the baseline (PopularItems, limit 1, on an
//      empty tenant) and SimilarItems; for context RecommendForCustomer at a quarter of the rate, each call's capacity
//      (closed loop), and the model calls alone in process.
//   4. Each target, met or missed. Every phase prints CPU time too: on a shared machine wall-clock rates understate.
// Usage: dotnet run -c Release --project tests/RetentionPlatform.Recommendations.Benchmarks [-- --quick]
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Npgsql;
using RetentionPlatform.Recommendations.Benchmarks;
using RetentionPlatform.Recommendations.Infrastructure;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Testing;

const string Tenant = "bench-shop";
const int Seed = 20261124;
const double ApplyTarget = 100_000;
const double P99TargetMs = 5;

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
    var items = quick ? 10_000 : 100_000;
    var customers = quick ? 10_000 : 100_000;
    var interactions = quick ? 100_000 : 1_000_000;
    var durableEvents = quick ? 5_000 : 50_000;
    const int DurableWarmup = 1_000;
    var durableVariantEvents = durableEvents / 5;
    const int DurableConcurrency = 64;
    const int Rate = 1_000;
    var measure = TimeSpan.FromSeconds(quick ? 5 : 20);
    var baselineMeasure = TimeSpan.FromSeconds(quick ? 5 : 10);
    var warmup = TimeSpan.FromSeconds(quick ? 2 : 5);

    var run = Stopwatch.StartNew();
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(c, $"Recommendations benchmark on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, seed {Seed}; load average {MachineLoad.Average()} (1/5/15 min)"));

    // 1. Load
    Console.WriteLine();
    Console.WriteLine("1. Load");
    var stopwatch = Stopwatch.StartNew();
    var shop = SyntheticShop.Generate(Seed, items, categoryCount: 200, customers, interactions, tailInteractions: (durableEvents + DurableWarmup + (2 * durableVariantEvents)) * 3 / 2, DateTimeOffset.UtcNow);
    var generated = stopwatch.Elapsed;
    Console.WriteLine(string.Create(c, $"   generated {shop.Items.Length:N0} items, {shop.History.Select(i => i.CustomerId).Distinct().Count():N0} customers, {shop.HistoryInteractions:N0} interactions ({Kinds(shop.History)}) over 60 days, then {shop.Tail.Length:N0} further events, in {generated.TotalSeconds:0.0} s"));

    stopwatch.Restart();
    var connectionString = await TestServers.CreateDatabaseAsync("recbench");
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    await DatabaseLoad.MigrateAsync(dataSource);
    Console.WriteLine(string.Create(c, $"   PostgreSQL ready (throwaway server, fresh database, the service's migrations) in {stopwatch.Elapsed.TotalSeconds:0.0} s"));
    var copyItems = await DatabaseLoad.CopyItemsAsync(dataSource, Tenant, shop);
    Console.WriteLine(string.Create(c, $"   PostgreSQL catalog, binary COPY into recommendations.items          : {copyItems.TotalSeconds,6:0.0} s ({shop.Items.Length / copyItems.TotalSeconds,9:N0} rows/s)"));
    var copyInteractions = await DatabaseLoad.CopyInteractionsAsync(dataSource, Tenant, shop);
    Console.WriteLine(string.Create(c, $"   PostgreSQL interactions, binary COPY into recommendations.interactions: {copyInteractions.TotalSeconds,6:0.0} s ({shop.HistoryInteractions / copyInteractions.TotalSeconds,9:N0} rows/s)"));

    // The in-memory model of phases 1 and 2 lives only inside this call: from phase 3 on only the service's model is in memory.
    var (update, durable) = await ModelPhasesAsync(shop, dataSource);
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

    // 3. Latency through gRPC
    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"3. Latency through gRPC at {Rate:N0} requests/s, open loop from the scheduled send, one channel (target: RecommendForCustomer p99 under {P99TargetMs} ms)"));
    var persisted = await DatabaseLoad.CountAsync(dataSource, "interactions", Tenant);
    var readOnly = await DatabaseLoad.TimeInteractionReadAsync(dataSource);
    await using var service = await RecommendationsServiceHost.StartAsync(connectionString);
    var model = service.Recommender.Find(Tenant);
    Console.WriteLine(string.Create(c, $"   service start (migrations checked, model rebuilt from PostgreSQL: {model?.ItemCount:N0} items, {model?.InteractionCount:N0} of {persisted:N0} interactions, {model?.CustomerCount:N0} customers): {service.StartTime.TotalSeconds:0.0} s"));
    Console.WriteLine(string.Create(c, $"      of which the loader's interaction query alone takes about {readOnly.TotalSeconds:0.0} s (read through RecommendationStore.ReadInteractionsAsync beforehand, nothing applied)"));
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    var latency = await LatencyPhase.RunAsync(service, Tenant, shop, Rate, warmup, measure, baselineMeasure, unknownShare: 0.1, Seed + 1);
    Console.WriteLine(string.Create(c, $"   idle (no requests), the process uses {latency.IdleCpuPerSecond.TotalMilliseconds:N0} ms CPU per second (Kafka consumer and embedded broker, timers, telemetry)"));
    Console.WriteLine(string.Create(c, $"   warm-up of the cold service (JIT, connections), RecommendForCustomer at {Rate / 4:N0}/s then {Rate:N0}/s, {warmup.TotalSeconds:0} s each: p99 {latency.WarmupQuarterRate.Latency.P99:0.0} ms, then p99 {latency.WarmupFullRate.Latency.P99:0.0} ms ({latency.WarmupFullRate.Errors})"));
    Console.WriteLine(string.Create(c, $"   RecommendForCustomer, limit 10, 90% known / 10% new customers, {measure.TotalSeconds:0} s:"));
    Console.WriteLine($"      {latency.RecommendForCustomer}");
    Console.WriteLine($"      p99 of each second's calls (ms): {latency.RecommendForCustomer.P99Series}");
    Console.WriteLine($"      GC pauses in each second (ms)  : {latency.RecommendForCustomer.GcPauseSeries}");
    Console.WriteLine($"      during it: {latency.RecommendForCustomerGc}");
    Console.WriteLine(string.Create(c, $"   baseline, PopularItems limit 1 on an empty tenant (transport + auth), {baselineMeasure.TotalSeconds:0} s:"));
    Console.WriteLine($"      {latency.PopularBaseline}");
    Console.WriteLine(string.Create(c, $"   SimilarItems, limit 10, items drawn by popularity, {baselineMeasure.TotalSeconds:0} s:"));
    Console.WriteLine($"      {latency.SimilarItems}");
    Console.WriteLine(string.Create(c, $"   RecommendForCustomer at a quarter of the rate ({Rate / 4:N0}/s), {baselineMeasure.TotalSeconds:0} s:"));
    Console.WriteLine($"      {latency.RecommendForCustomerAtQuarterRate}");
    Console.WriteLine(string.Create(c, $"   capacity, closed loop with {LatencyPhase.CapacityCallers} calls in flight, {LatencyPhase.CapacityDuration.TotalSeconds:0} s each:"));
    Console.WriteLine(string.Create(c, $"      RecommendForCustomer: {latency.RecommendForCustomerCapacity.AchievedRate,7:N0} calls/s (p50 {latency.RecommendForCustomerCapacity.P50:0.00} ms, p99 {latency.RecommendForCustomerCapacity.P99:0.00} ms, {latency.RecommendForCustomerCapacity.Failures} failed)"));
    Console.WriteLine(string.Create(c, $"      PopularItems baseline: {latency.PopularBaselineCapacity.AchievedRate,6:N0} calls/s (p50 {latency.PopularBaselineCapacity.P50:0.00} ms, p99 {latency.PopularBaselineCapacity.P99:0.00} ms, {latency.PopularBaselineCapacity.Failures} failed)"));
    Console.WriteLine("   the model calls alone, in process, one at a time (what a request spends inside TenantModel):");
    Console.WriteLine(string.Create(c, $"      RecommendForCustomer: {latency.InProcessRecommendForCustomer.Latency.ToString().Split(" (")[0]}; CPU {latency.InProcessRecommendForCustomer.CpuMicrosecondsPerCall:N0} us per call"));
    Console.WriteLine(string.Create(c, $"      SimilarItems        : {latency.InProcessSimilarItems.Latency.ToString().Split(" (")[0]}; CPU {latency.InProcessSimilarItems.CpuMicrosecondsPerCall:N0} us per call"));

    // 4. Summary
    var recommendP99 = latency.RecommendForCustomer.Latency.P99;
    var recommendErrors = latency.RecommendForCustomer.Latency.Failures;
    Console.WriteLine();
    Console.WriteLine("4. Summary");
    Console.WriteLine(string.Create(c, $"   model update in memory >= {ApplyTarget:N0} events/s                 : {update.ApplyPerSecond,10:N0} events/s  {Verdict(update.ApplyPerSecond >= ApplyTarget)}"));
    Console.WriteLine(string.Create(c, $"   model update with persistence (durable path) >= {ApplyTarget:N0} events/s: {durable.EventsPerSecond,10:N0} events/s  {Verdict(durable.EventsPerSecond >= ApplyTarget)}"));
    Console.WriteLine(string.Create(c, $"   RecommendForCustomer p99 < {P99TargetMs} ms at {Rate:N0}/s, no errors : {recommendP99:0.00} ms, {recommendErrors} errors  {Verdict(recommendP99 < P99TargetMs && recommendErrors == 0)}"));
    Console.WriteLine(string.Create(c, $"   whole run: {run.Elapsed.TotalSeconds:0} s; load average now {MachineLoad.Average()} (1/5/15 min) on {Environment.ProcessorCount} cores"));
    return 0;

    async Task<(ModelUpdateResult Update, DurablePathResult Durable)> ModelPhasesAsync(SyntheticShop shop, NpgsqlDataSource dataSource)
    {
        var recommender = new Recommender(new RecommenderOptions());
        var update = ModelUpdatePhase.Run(recommender, Tenant, shop);
        Console.WriteLine(string.Create(c, $"   in memory, catalog (TenantModel.UpsertItem x {shop.Items.Length:N0})                  : {update.Catalog.TotalSeconds,6:0.0} s"));
        Console.WriteLine(string.Create(c, $"   in memory, interactions (TenantModel.Apply x {update.Interactions:N0})           : {update.Apply.TotalSeconds,6:0.0} s ({update.Customers:N0} customers in the model)"));

        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"2. Model update throughput (target: at least {ApplyTarget:N0} events/s)"));
        Console.WriteLine(string.Create(c, $"   a. in-memory model, TenantModel.Apply, one call per interaction, one thread : {update.ApplyPerSecond,10:N0} events/s"));
        Console.WriteLine(string.Create(c, $"      {update.Apply.TotalSeconds:0.0} s wall, {update.ApplyCpu.TotalSeconds:0.0} s CPU for the process ({update.Interactions / update.ApplyCpu.TotalSeconds:N0} events per CPU second); {update.Gc}"));
        Console.WriteLine(string.Create(c, $"   b. baseline, a pass over the same interactions with dictionary lookups only : {update.BaselinePerSecond,10:N0} events/s  (Apply costs {update.BaselinePerSecond / update.ApplyPerSecond:0}x that)"));
        // The durable path continues the same tenant: the model and the database already hold the history.
        var store = new RecommendationStore(dataSource);
        var postgresPort = new NpgsqlConnectionStringBuilder(connectionString).Port;
        var durable = await DurablePathPhase.RunAsync(recommender, store, Tenant, shop, 0, DurableWarmup, durableEvents, DurableConcurrency, postgresPort);
        Console.WriteLine(string.Create(c, $"   c. durable path, CustomerEventsProcessor + RecommendationStore (PostgreSQL) : {durable.EventsPerSecond,10:N0} events/s  ({durable.InteractionsPerSecond:N0} interactions/s)"));
        Console.WriteLine(string.Create(c, $"      {durable.Events:N0} events after {DurableWarmup:N0} of warm-up, in batches of {DurablePathPhase.BatchSize} grouped per customer ({durable.Calls:N0} calls, {(double)durable.Events / durable.Calls:0.0} events each), {durable.Concurrency} calls in flight: {durable.Elapsed.TotalSeconds:0.0} s"));
        Console.WriteLine(string.Create(c, $"      per call (one transaction): p50 {durable.CallLatency.P50:0.00} ms, p99 {durable.CallLatency.P99:0.00} ms, max {durable.CallLatency.Max:0.0} ms; {durable.Gc}"));
        Console.WriteLine($"      {durable.CpuSummary}");
        Console.WriteLine($"      {durable.FailureSummary}");
        // Where the durable path's time goes: the same path when views name the item only, so no item row is updated.
        var bare = await DurablePathPhase.RunAsync(recommender, store, Tenant, shop, DurableWarmup + durableEvents, 0, durableVariantEvents, DurableConcurrency, postgresPort, viewsDescribeItems: false);
        Console.WriteLine(string.Create(c, $"      for comparison, the next {bare.Events:N0} events with views that name the item only (no item row updated): {bare.EventsPerSecond:N0} events/s, per call p50 {bare.CallLatency.P50:0.00} ms, p99 {bare.CallLatency.P99:0.00} ms"));
        Console.WriteLine($"         {bare.CpuSummary}; {bare.FailureSummary}");
        // And the same path with Npgsql preparing the store's statements (planned once per connection, not per call).
        await using (var prepared = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32 }.ConnectionString))
        {
            var withPrepare = await DurablePathPhase.RunAsync(recommender, new RecommendationStore(prepared), Tenant, shop, DurableWarmup + durableEvents + durableVariantEvents, 0, durableVariantEvents, DurableConcurrency, postgresPort);
            Console.WriteLine(string.Create(c, $"      for comparison, the next {withPrepare.Events:N0} events as in c. but with Max Auto Prepare=32 on the connection string: {withPrepare.EventsPerSecond:N0} events/s, per call p50 {withPrepare.CallLatency.P50:0.00} ms, p99 {withPrepare.CallLatency.P99:0.00} ms"));
            Console.WriteLine($"         {withPrepare.CpuSummary}; {withPrepare.FailureSummary}");
        }

        return (update, durable);
    }
}

static string Verdict(bool met) => met ? "MET" : "MISSED";

static string Kinds(Interaction[] interactions) => string.Join(", ", interactions
    .GroupBy(i => i.Kind)
    .OrderBy(g => g.Key)
    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} {g.Key.ToString().ToLowerInvariant()}s")));
