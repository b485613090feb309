using System.Diagnostics;

namespace RetentionPlatform.Profiles.Benchmarks;

/// <summary>Applies every customer's events in calls of <c>batchSize</c>, many customers at once; returns events per second.</summary>
internal static class ApplyPhase
{
    public const int Concurrency = 512;

    public static async Task<double> RunAsync(IGrainFactory grains, string tenant, int customers, int eventsPerCustomer, int batchSize)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, customers), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (c, _) =>
        {
            var customer = $"c{c}";
            var grain = grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(tenant, customer));
            for (var first = 0; first < eventsPerCustomer; first += batchSize)
            {
                var batch = Enumerable.Range(first, Math.Min(batchSize, eventsPerCustomer - first)).Select(i => BenchmarkEvents.For(customer, i)).ToList();
                await grain.ApplyAsync(batch);
            }
        });
        return customers * (double)eventsPerCustomer / watch.Elapsed.TotalSeconds;
    }
}
