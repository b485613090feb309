using System.Text;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.Events.Model;
using RetentionPlatform.Profiles;
using RetentionPlatform.Standalone;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Optional (<c>--breakdown</c>): times each piece of the path on its own at the same concurrency, so the
/// end-to-end figure can be split: the gateway hop, the events service, the Kafka publish, the grain apply
/// (with its PostgreSQL write) and a bare PostgreSQL commit (with and without waiting for the WAL flush).
/// </summary>
public sealed class BreakdownPhase(BenchmarkOptions options, EventBodies bodies, StandalonePlatform platform, PlatformObserver observer, HttpClient gatewayClient, string runId)
{
    private const string ScratchTopic = "bench.scratch.v1";

    private static readonly TimeSpan StepWarmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StepDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<BreakdownStep>> RunAsync(CancellationToken cancellationToken)
    {
        var steps = new List<BreakdownStep>();
        var customers = CustomerIds.Create(runId, "breakdown", options.Customers);
        var concurrency = options.Concurrency;

        await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
        steps.Add(await TimedLoop.RunAsync("POST via gateway, 1 at a time", 1, StepWarmup, StepDuration,
            (i, ct) => PostAsync(gatewayClient, "bd-gateway1", i, customers, ct), cancellationToken));
        await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
        steps.Add(await TimedLoop.RunAsync("POST via gateway (= end-to-end posting)", concurrency, StepWarmup, StepDuration,
            (i, ct) => PostAsync(gatewayClient, "bd-gateway", i, customers, ct), cancellationToken));

        await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
        var events = platform.Services["events"];
        using (var direct = LoadClient.Create(new Uri(events.Configuration["Kestrel:Endpoints:http:Url"]!), Math.Max(concurrency, 256), null))
        {
            direct.DefaultRequestHeaders.Add(TenantHeaders.Tenant, StandaloneOptions.DemoTenant);
            steps.Add(await TimedLoop.RunAsync("POST to events service (no gateway), 1 at a time", 1, StepWarmup, StepDuration,
                (i, ct) => PostAsync(direct, "bd-direct1", i, customers, ct), cancellationToken));
            await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
            steps.Add(await TimedLoop.RunAsync("POST to events service (no gateway)", concurrency, StepWarmup, StepDuration,
                (i, ct) => PostAsync(direct, "bd-direct", i, customers, ct), cancellationToken));
        }

        await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
        var publisher = events.Services.GetRequiredService<IEventPublisher>();
        var payload = Encoding.UTF8.GetBytes("""{"eventId":"x","type":"page_viewed","customerId":"c","occurredAt":"2026-01-01T00:00:00Z","properties":{"page":"/pricing"}}""");
        Task Publish(long i, CancellationToken ct) => publisher.PublishAsync(
            ScratchTopic, new EventEnvelope($"{runId}-bd-kafka-{i}", BodyType, StandaloneOptions.DemoTenant, customers[(int)(i % customers.Count)], DateTimeOffset.UtcNow, 1, payload), ct);
        steps.Add(await TimedLoop.RunAsync("Kafka publish only, 1 at a time", 1, StepWarmup, StepDuration, Publish, cancellationToken));
        steps.Add(await TimedLoop.RunAsync("Kafka publish only (events' producer)", concurrency, StepWarmup, StepDuration, Publish, cancellationToken));

        var grains = platform.Services["profiles"].Services.GetRequiredService<IGrainFactory>();
        steps.Add(await TimedLoop.RunAsync("grain apply only (1 event/call)", concurrency, StepWarmup, StepDuration,
            (i, _) => grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(StandaloneOptions.DemoTenant, customers[(int)(i % customers.Count)]))
                .ApplyAsync([new CustomerEventData($"{runId}-bd-grain-{i}", BodyType, DateTimeOffset.UtcNow)]),
            cancellationToken));

        steps.Add(await PostgresCommitAsync("PostgreSQL commit only (1 KB upsert)", "", concurrency, cancellationToken));
        steps.Add(await PostgresCommitAsync("PostgreSQL commit, synchronous_commit=off", "-c synchronous_commit=off", concurrency, cancellationToken));
        return steps;
    }

    private static string BodyType => EventCatalog.V1Types.Contains(EventBodies.EventType) ? EventBodies.EventType : throw new InvalidOperationException("Unknown event type.");

    private async Task PostAsync(HttpClient client, string phase, long sequence, IReadOnlyList<string> customers, CancellationToken cancellationToken)
    {
        using var content = bodies.Create(phase, sequence, customers[(int)(sequence % customers.Count)]);
        using var response = await client.PostAsync(ClosedLoopLoad.EventsPath, content, cancellationToken);
        if ((int)response.StatusCode != StatusCodes.Status202Accepted)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
        }
    }

    private async Task<BreakdownStep> PostgresCommitAsync(string name, string serverOptions, int concurrency, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(platform.PostgresConnectionString) { Options = serverOptions, MaxPoolSize = Math.Max(concurrency, 100) };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var create = dataSource.CreateCommand("create table if not exists public.bench_scratch (id int primary key, payload bytea not null)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var payload = new byte[1024];
        Random.Shared.NextBytes(payload);
        return await TimedLoop.RunAsync(name, concurrency, StepWarmup, StepDuration, async (i, ct) =>
        {
            await using var command = dataSource.CreateCommand(
                "insert into public.bench_scratch (id, payload) values ($1, $2) on conflict (id) do update set payload = excluded.payload");
            command.Parameters.Add(new() { Value = (int)(i % options.Customers) });
            command.Parameters.Add(new() { Value = payload });
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }
}
