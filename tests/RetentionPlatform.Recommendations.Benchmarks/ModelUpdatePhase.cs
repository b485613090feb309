using System.Diagnostics;
using System.Runtime.InteropServices;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// The in-memory model's update rate: the catalog upserted, then every history interaction applied one call at a
/// time on one thread (as the consumer applies a customer's events, one lock per call); and the baseline, a pass over
/// the same interactions that only looks up the item and the customer in dictionaries and adds a weight.
/// </summary>
internal static class ModelUpdatePhase
{
    public static ModelUpdateResult Run(Recommender recommender, string tenantId, SyntheticShop shop)
    {
        var model = recommender.For(tenantId);
        var stopwatch = Stopwatch.StartNew();
        foreach (var item in shop.Items)
        {
            model.UpsertItem(item);
        }

        var catalog = stopwatch.Elapsed;

        var gcBefore = GcSnapshot.Take();
        var cpuBefore = MachineLoad.ProcessCpu();
        stopwatch.Restart();
        foreach (ref readonly var interaction in shop.History.AsSpan())
        {
            model.Apply(in interaction);
        }

        var apply = stopwatch.Elapsed;
        var applyCpu = MachineLoad.ProcessCpu() - cpuBefore;
        var gc = GcSnapshot.Take() - gcBefore;

        stopwatch.Restart();
        var checksum = TrivialPass(shop);
        var baseline = stopwatch.Elapsed;
        GC.KeepAlive(checksum);

        return new ModelUpdateResult(catalog, apply, applyCpu, baseline, shop.History.Length, model.CustomerCount, gc);
    }

    /// <summary>The least any update could cost: find the item and the customer, add the interaction's weight.</summary>
    private static double TrivialPass(SyntheticShop shop)
    {
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in shop.Items)
        {
            items[item.ItemId] = items.Count;
        }

        var customers = new Dictionary<string, int>(StringComparer.Ordinal);
        var popularity = new double[items.Count];
        var activity = new List<int>();
        foreach (ref readonly var interaction in shop.History.AsSpan())
        {
            var item = items[interaction.ItemId];
            ref var customer = ref CollectionsMarshal.GetValueRefOrAddDefault(customers, interaction.CustomerId, out var known);
            if (!known)
            {
                customer = activity.Count;
                activity.Add(0);
            }

            activity[customer]++;
            popularity[item] += interaction.Kind switch
            {
                InteractionKind.Purchase => 4,
                InteractionKind.Cart => 2,
                _ => 1,
            };
        }

        return popularity.Sum() + activity.Count;
    }
}
