using RetentionPlatform.Standalone;

namespace RetentionPlatform.Benchmarks;

/// <summary>Phase (a): the same load generator and bodies against an empty Kestrel endpoint, the most this machine can do.</summary>
public sealed class CeilingPhase(BenchmarkOptions options, EventBodies bodies, string runId)
{
    public async Task<ClosedLoopResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var server = await EmptyEndpointServer.StartAsync(cancellationToken);
        using var client = LoadClient.Create(server.BaseAddress, options.Concurrency, StandaloneOptions.DemoApiKey);
        var load = new ClosedLoopLoad(client, bodies, options.Concurrency);
        var customers = CustomerIds.Create(runId, "ceiling", options.Customers);

        await load.RunAsync("ceiling-warmup", long.MaxValue, customers, options.Warmup, cancellationToken);
        return await load.RunAsync("ceiling", options.Events, customers, options.PostingTimeout, cancellationToken);
    }
}
