using System.Diagnostics;
using Npgsql;

namespace RetentionPlatform.Profiles.Benchmarks;

/// <summary>Activates N profiles (identify, consent, cart, order, views) and measures what they hold in memory and in PostgreSQL.</summary>
internal static class MemoryPhase
{
    private const string Tenant = "bench-memory";
    private static readonly int[] TypicalEvents = [0, 1, 4, 5, 7, 8];

    public static async Task<(double BytesPerProfile, double StateBytes, double StoredBytes, TimeSpan Elapsed)> RunAsync(
        IGrainFactory grains, Orleans.Serialization.Serializer serializer, string connectionString, int profiles)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, profiles), new ParallelOptions { MaxDegreeOfParallelism = ApplyPhase.Concurrency }, async (c, _) =>
        {
            var customer = $"m{c}";
            await grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(Tenant, customer))
                .ApplyAsync([.. TypicalEvents.Select(i => BenchmarkEvents.For(customer, i))]);
        });
        watch.Stop();

        // Let the group commit settle, then count only what is still reachable: the activations and their state.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = GC.GetTotalMemory(forceFullCollection: true);

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("select avg(octet_length(payload))::float8 from profiles.grain_state where state_name = 'customer' and grain_id like $1");
        command.Parameters.Add(new() { Value = $"customer/{Tenant}/%" });
        var stored = (double)(await command.ExecuteScalarAsync() ?? 0d);

        // The profile state alone: one stored payload read back as many times, without Orleans around it.
        await using var payloadCommand = dataSource.CreateCommand("select payload from profiles.grain_state where state_name = 'customer' and grain_id = $1");
        payloadCommand.Parameters.Add(new() { Value = $"customer/{Tenant}/m0" });
        var payload = (byte[])(await payloadCommand.ExecuteScalarAsync())!;
        var copies = Math.Min(profiles, 100_000);
        var stateBefore = GC.GetTotalMemory(forceFullCollection: true);
        var states = new object[copies];
        for (var i = 0; i < copies; i++)
        {
            states[i] = serializer.Deserialize<CustomerState>(payload)!;
        }

        var stateAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(states);
        return ((after - before) / (double)profiles, (stateAfter - stateBefore) / (double)copies, stored, watch.Elapsed);
    }
}
