// The profiles benchmark (issue: customer profiles). Starts the standalone platform on a throwaway PostgreSQL and
// the embedded Kafka broker, then measures, in one run:
//   1. events applied per second with PostgreSQL persistence: batched (20 events per grain call, as the Kafka
//      consumer hands a customer's events over) against one event per call (the baseline: one state write per
//      event), each customer receiving 60 events (so activation and first insert are part of it, not all of it);
//   2. DecideContact latency through gRPC at a fixed rate, against GetProfile at the same rate (the baseline:
//      the same path with no decision and no write);
//   3. memory per active profile with N profiles activated (GC heap growth divided by N), and the stored size.
// Usage: dotnet run -c Release --project tests/RetentionPlatform.Profiles.Benchmarks [-- --quick] [--profiles N] [--rate R] [--seconds S]
using System.Globalization;
using RetentionPlatform.Profiles.Benchmarks;
using RetentionPlatform.Standalone;

var quick = args.Contains("--quick");
int Arg(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

var profiles = Arg("--profiles", quick ? 50_000 : 1_000_000);
var rate = Arg("--rate", 2_000);
var seconds = Arg("--seconds", quick ? 5 : 20);
var applyCustomers = Arg("--customers", quick ? 1_000 : 5_000);

Console.WriteLine($"Profiles benchmark on {Environment.ProcessorCount} cores, .NET {Environment.Version}; starting the platform...");
await using var platform = await StandalonePlatform.StartAsync(new StandaloneOptions { Ephemeral = true, GatewayHttpPort = 0, GatewayGrpcPort = 0 });
var grains = platform.Services["profiles"].Services.GetRequiredService<IGrainFactory>();

Console.WriteLine();
Console.WriteLine($"1. Events applied per second, persisted to PostgreSQL ({applyCustomers:N0} customers, 60 events each)");
await ApplyPhase.RunAsync(grains, "warmup", customers: 500, eventsPerCustomer: 20, batchSize: 10);
var batched = await ApplyPhase.RunAsync(grains, "bench-batched", applyCustomers, eventsPerCustomer: 60, batchSize: 20);
var single = await ApplyPhase.RunAsync(grains, "bench-single", applyCustomers, eventsPerCustomer: 60, batchSize: 1);
Console.WriteLine($"   batched, 20 events per grain call : {batched,10:N0} events/s");
Console.WriteLine($"   baseline, 1 event per grain call  : {single,10:N0} events/s  (batched is {batched / single:0.0}x)");

Console.WriteLine();
Console.WriteLine($"2. Latency through gRPC at {rate:N0} calls/s for {seconds} s (open loop, from the scheduled start)");
var decide = await DecidePhase.RunAsync(platform.ServiceGrpcUrls["profiles"], platform.GatewaySecret, grains, rate, seconds);
Console.WriteLine($"   DecideContact (half allowed, half denied)           : {decide.Decide}");
Console.WriteLine($"   baseline GetProfile                                  : {decide.Baseline}");

Console.WriteLine();
Console.WriteLine($"3. Memory per active profile with {profiles:N0} profiles");
var memory = await MemoryPhase.RunAsync(grains, platform.Services["profiles"].Services.GetRequiredService<Orleans.Serialization.Serializer>(), platform.PostgresConnectionString, profiles);
Console.WriteLine($"   GC heap growth per active profile (grain, state, Orleans activation): {memory.BytesPerProfile,8:N0} bytes");
Console.WriteLine($"   of which the profile state alone (deserialized copies)               : {memory.StateBytes,8:N0} bytes");
Console.WriteLine($"   stored state per profile in PostgreSQL                              : {memory.StoredBytes,8:N0} bytes");
Console.WriteLine($"   activation took {memory.Elapsed.TotalSeconds:0.0} s ({profiles / memory.Elapsed.TotalSeconds:N0} profiles/s)");
