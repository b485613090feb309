using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;
using V1 = RetentionPlatform.Contracts.Recommendations.V1;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// Recommendation latency through gRPC at a fixed rate, open loop, over one channel (one HTTP/2 connection,
/// multiplexed), called as the gateway calls the service: the tenant header with the gateway's signature.
/// RecommendForCustomer for random customers (most known, some never seen: cold start), SimilarItems for items drawn by
/// popularity, and the baseline: PopularItems with limit 1 for a tenant with no model (transport, auth and gRPC only).
/// </summary>
internal static class LatencyPhase
{
    public const string EmptyTenant = "bench-empty";

    /// <summary>Calls in flight when measuring capacity.</summary>
    public const int CapacityCallers = 16;

    public static readonly TimeSpan CapacityDuration = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public static async Task<LatencyResults> RunAsync(
        RecommendationsServiceHost host,
        string tenantId,
        SyntheticShop shop,
        int rate,
        TimeSpan warmup,
        TimeSpan duration,
        TimeSpan baselineDuration,
        double unknownShare,
        int seed)
    {
        using var channel = GrpcChannel.ForAddress(host.Address);
        var client = new V1.Recommendations.RecommendationsClient(channel);
        // Signatures stay valid for GatewayTrust.MaxAge; each run signs afresh, so no run outlives its signature.
        Metadata Headers(string tenant) => new()
        {
            { TenantHeaders.Tenant, tenant },
            { TenantHeaders.GatewaySignature, new GatewayTrust(host.GatewaySecret).Sign(tenant) },
        };

        var random = new Random(seed);
        var calls = (int)(rate * (warmup + warmup + duration).TotalSeconds);
        var customers = CustomerMix(shop, calls, unknownShare, random);
        var items = Enumerable.Range(0, calls).Select(_ => shop.Items[shop.ItemPopularity.Next(random)].ItemId).ToArray();
        var limitOne = new V1.PopularItemsRequest { Limit = 1 };

        Task Recommend(Metadata headers, int i) =>
            client.RecommendForCustomerAsync(new V1.RecommendForCustomerRequest { CustomerId = customers[i] }, headers, Expires()).ResponseAsync;
        Task Similar(Metadata headers, int i) =>
            client.SimilarItemsAsync(new V1.SimilarItemsRequest { ItemId = items[i] }, headers, Expires()).ResponseAsync;
        Task Popular(Metadata headers) =>
            client.PopularItemsAsync(limitOne, headers, Expires()).ResponseAsync;

        // What the process burns with no request at all (the Kafka consumer and the embedded broker, timers, telemetry).
        var idleBefore = MachineLoad.ProcessCpu();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idleCpuPerSecond = (MachineLoad.ProcessCpu() - idleBefore) / 2;

        var shopHeaders = Headers(tenantId);
        // Warmed up in two steps: a cold service (tier-0 code, an untuned heap) hit at the full rate at once falls
        // behind and may not catch up; the warm-up's figures are printed so that stays visible.
        // The warm-ups draw from the end of the request lists, the measured runs from the start.
        var warmupFirst = (int)(rate * duration.TotalSeconds);
        var warmupSecond = warmupFirst + (int)(rate / 4 * warmup.TotalSeconds);
        var warmupQuarter = await OpenLoop.RunAsync(rate / 4, warmup, i => Recommend(shopHeaders, i + warmupFirst));
        var warmupFull = await OpenLoop.RunAsync(rate, warmup, i => Recommend(shopHeaders, i + warmupSecond));
        var gcBefore = GcSnapshot.Take();
        var recommend = await OpenLoop.RunAsync(rate, duration, i => Recommend(shopHeaders, i));
        var recommendGc = GcSnapshot.Take() - gcBefore;
        await SettleAsync();

        var emptyHeaders = Headers(EmptyTenant);
        await OpenLoop.RunAsync(rate, warmup, _ => Popular(emptyHeaders));
        var popular = await OpenLoop.RunAsync(rate, baselineDuration, _ => Popular(emptyHeaders));
        await SettleAsync();

        shopHeaders = Headers(tenantId);
        await OpenLoop.RunAsync(rate, warmup, i => Similar(shopHeaders, i + warmupFirst));
        var similar = await OpenLoop.RunAsync(rate, baselineDuration, i => Similar(shopHeaders, i));
        await SettleAsync();

        // Context for the 1,000/s figures: the latency at a quarter of the rate, and how many calls per second the
        // service answers at all on this machine (closed loop, calls always in flight).
        shopHeaders = Headers(tenantId);
        var quarter = await OpenLoop.RunAsync(rate / 4, baselineDuration, i => Recommend(shopHeaders, i));
        await SettleAsync();
        var recommendCapacity = await ClosedLoop.RunAsync(CapacityCallers, CapacityDuration, i => Recommend(shopHeaders, i % calls));
        await SettleAsync();
        emptyHeaders = Headers(EmptyTenant);
        var popularCapacity = await ClosedLoop.RunAsync(CapacityCallers, CapacityDuration, _ => Popular(emptyHeaders));
        await SettleAsync();

        var model = host.Recommender.Find(tenantId) ?? throw new InvalidOperationException($"The service has no model for tenant {tenantId}.");
        var now = DateTimeOffset.UtcNow;
        var inProcessRecommend = TimeInProcess(customers.Length, i => model.RecommendForCustomer(customers[i], new RecommendationQuery(), now));
        var inProcessSimilar = TimeInProcess(items.Length, i => model.SimilarItems(items[i], new RecommendationQuery(), now));
        return new LatencyResults(idleCpuPerSecond, warmupQuarter, warmupFull, recommend, recommendGc, popular, similar, quarter, recommendCapacity, popularCapacity, inProcessRecommend, inProcessSimilar);
    }

    /// <summary>Mostly known customers (uniformly drawn), the rest never seen by the model.</summary>
    private static string[] CustomerMix(SyntheticShop shop, int count, double unknownShare, Random random) =>
        [.. Enumerable.Range(0, count).Select(i => random.NextDouble() < unknownShare
            ? string.Create(CultureInfo.InvariantCulture, $"new-{i:D6}")
            : shop.CustomerIds[random.Next(shop.CustomerIds.Length)])];

    /// <summary>The model call alone, one at a time on this thread: what the service spends inside the model per request.</summary>
    private static (Latencies Latency, double CpuMicrosecondsPerCall) TimeInProcess(int count, Action<int> call)
    {
        var milliseconds = new List<double>(count);
        var cpuBefore = MachineLoad.ProcessCpu();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            call(i);
            milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var elapsed = total.Elapsed;
        return (Latencies.From(milliseconds, 0, elapsed.TotalSeconds), (MachineLoad.ProcessCpu() - cpuBefore).TotalMicroseconds / count);
    }

    /// <summary>Lets the service finish what an overloaded run left behind (calls the client gave up on) before the next run.</summary>
    private static async Task SettleAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        GC.Collect();
    }

    private static DateTime Expires() => DateTime.UtcNow.Add(Deadline);
}
