using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = RetentionPlatform.Contracts.Profiles.V1;

namespace RetentionPlatform.Profiles.Benchmarks;

/// <summary>DecideContact and, as the baseline, GetProfile through gRPC at a fixed rate (open loop).</summary>
internal static class DecidePhase
{
    private const string Tenant = "bench-decide";
    private const int Customers = 10_000;

    public static async Task<(Latencies Decide, Latencies Baseline)> RunAsync(Uri grpcUrl, string gatewaySecret, IGrainFactory grains, int rate, int seconds)
    {
        // Half the customers consented to marketing (allowed), half did not (denied).
        await grains.GetGrain<ITenantGrain>(Tenant).SetContactPolicyAsync(new ContactPolicy { BudgetMaxTouches = 1_000_000, QuietHoursStartMinute = 0, QuietHoursEndMinute = 0 });
        await Parallel.ForEachAsync(Enumerable.Range(0, Customers), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (c, _) =>
        {
            var events = new List<CustomerEventData> { BenchmarkEvents.For($"d{c}", 0), BenchmarkEvents.For($"d{c}", 5) };
            if (c % 2 == 0)
            {
                events.Add(BenchmarkEvents.For($"d{c}", 1));
            }

            await grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(Tenant, $"d{c}")).ApplyAsync(events);
        });

        using var channel = GrpcChannel.ForAddress(grpcUrl);
        var client = new V1.Profiles.ProfilesClient(channel);
        // Called directly, as the gateway would: the tenant with the gateway's signature (valid for minutes: the run is shorter).
        var headers = new Metadata
        {
            { RetentionPlatform.Tenancy.TenantHeaders.Tenant, Tenant },
            { RetentionPlatform.Tenancy.TenantHeaders.GatewaySignature, new RetentionPlatform.Tenancy.GatewayTrust(gatewaySecret).Sign(Tenant) },
        };

        // Warm up both paths (JIT, connections) before measuring.
        await RunAtRateAsync(i => Decide(client, headers, i), rate, 2);
        await RunAtRateAsync(i => client.GetProfileAsync(new V1.GetProfileRequest { CustomerId = $"d{i % Customers}" }, headers, DateTime.UtcNow.AddSeconds(5)).ResponseAsync, rate, 2);

        var decide = await RunAtRateAsync(i => Decide(client, headers, i), rate, seconds);
        var baseline = await RunAtRateAsync(i => client.GetProfileAsync(new V1.GetProfileRequest { CustomerId = $"d{i % Customers}" }, headers, DateTime.UtcNow.AddSeconds(5)).ResponseAsync, rate, seconds);
        return (decide, baseline);
    }

    private static Task<V1.ContactDecision> Decide(V1.Profiles.ProfilesClient client, Metadata headers, int i) =>
        client.DecideContactAsync(
            new V1.DecideContactRequest
            {
                CustomerId = $"d{i % Customers}",
                Channel = V1.ContactChannel.Email,
                Purpose = V1.ContactPurpose.Marketing,
                Kind = "bench",
                MessageId = $"m{i}",
            },
            headers,
            DateTime.UtcNow.AddSeconds(5)).ResponseAsync;

    private static async Task<Latencies> RunAtRateAsync(Func<int, Task> call, int rate, int seconds)
    {
        var total = rate * seconds;
        var latencies = new List<double>(total);
        var failures = 0;
        var gate = new object();
        var running = new List<Task>(total);
        var watch = Stopwatch.StartNew();
        var ticksPerCall = Stopwatch.Frequency / (double)rate;
        var next = 0;
        while (next < total)
        {
            // Start every call that is due by now, each timed from its scheduled moment (no coordinated omission).
            var due = (int)Math.Min(total, (watch.ElapsedTicks / ticksPerCall) + 1);
            for (; next < due; next++)
            {
                var scheduled = (long)(next * ticksPerCall);
                var index = next;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await call(index);
                        var ms = (watch.ElapsedTicks - scheduled) * 1000.0 / Stopwatch.Frequency;
                        lock (gate)
                        {
                            latencies.Add(ms);
                        }
                    }
                    catch (RpcException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(running);
        return Latencies.From(latencies, failures, watch.Elapsed.TotalSeconds);
    }
}
