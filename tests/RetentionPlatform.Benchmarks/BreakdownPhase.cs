using System.Text;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.Events.Model;
using RetentionPlatform.Profiles;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Optional (<c>--breakdown</c>): times each piece of the path on its own at the same concurrency, so the
/// end-to-end figure can be split: the gateway hop (on POSTs and on reads), the events service, the Kafka publish,
/// the grain apply (with its PostgreSQL write) and bare PostgreSQL upserts (one per commit, without waiting for the
/// WAL flush, and sixteen per commit).
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
            (i, ct) => PostAsync(gatewayClient, "bd-gateway1", i, customers, ct), PostgresCpu, cancellationToken));
        await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
        steps.Add(await TimedLoop.RunAsync("POST via gateway (= end-to-end posting)", concurrency, StepWarmup, StepDuration,
            (i, ct) => PostAsync(gatewayClient, "bd-gateway", i, customers, ct), PostgresCpu, cancellationToken));

        await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
        var events = platform.Services["events"];
        using (var direct = DirectServiceClient.Create(platform, "events", Math.Max(concurrency, 256)))
        {
            steps.Add(await TimedLoop.RunAsync("POST to events service (no gateway), 1 at a time", 1, StepWarmup, StepDuration,
                (i, ct) => PostAsync(direct, "bd-direct1", i, customers, ct), PostgresCpu, cancellationToken));
            await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
            steps.Add(await TimedLoop.RunAsync("POST to events service (no gateway)", concurrency, StepWarmup, StepDuration,
                (i, ct) => PostAsync(direct, "bd-direct", i, customers, ct), PostgresCpu, cancellationToken));
        }

        await observer.WaitDrainedAsync(DrainTimeout, cancellationToken);
        var publisher = events.Services.GetRequiredService<IEventPublisher>();
        var payload = Encoding.UTF8.GetBytes("""{"eventId":"x","type":"page_viewed","customerId":"c","occurredAt":"2026-01-01T00:00:00Z","properties":{"page":"/pricing"}}""");
        Task Publish(long i, CancellationToken ct) => publisher.PublishAsync(
            ScratchTopic, new EventEnvelope($"{runId}-bd-kafka-{i}", BodyType, StandaloneOptions.DemoTenant, customers[(int)(i % customers.Count)], DateTimeOffset.UtcNow, 1, payload), ct);
        steps.Add(await TimedLoop.RunAsync("Kafka publish only, 1 at a time", 1, StepWarmup, StepDuration, Publish, PostgresCpu, cancellationToken));
        steps.Add(await TimedLoop.RunAsync("Kafka publish only (events' producer)", concurrency, StepWarmup, StepDuration, Publish, PostgresCpu, cancellationToken));

        // Reads: no Kafka and no consumer work behind them, so gateway minus direct is the proxy hop alone.
        var known = CustomerIds.Create(runId, "e2e", options.Customers);
        steps.Add(await TimedLoop.RunAsync("GET profile via gateway", concurrency, StepWarmup, StepDuration,
            (i, ct) => GetAsync(gatewayClient, known[(int)(i % known.Count)], ct), PostgresCpu, cancellationToken));
        var profiles = platform.Services["profiles"];
        using (var direct = DirectServiceClient.Create(platform, "profiles", Math.Max(concurrency, 256)))
        {
            steps.Add(await TimedLoop.RunAsync("GET profile from profiles service (no gateway)", concurrency, StepWarmup, StepDuration,
                (i, ct) => GetAsync(direct, known[(int)(i % known.Count)], ct), PostgresCpu, cancellationToken));
        }

        var grains = profiles.Services.GetRequiredService<IGrainFactory>();
        steps.Add(await TimedLoop.RunAsync("grain apply only (1 event/call)", concurrency, StepWarmup, StepDuration,
            (i, _) => grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(StandaloneOptions.DemoTenant, customers[(int)(i % customers.Count)]))
                .ApplyAsync([new CustomerEventData($"{runId}-bd-grain-{i}", BodyType, DateTimeOffset.UtcNow)]),
            PostgresCpu, cancellationToken));

        steps.Add(await PostgresCommitAsync("PostgreSQL 1 KB upsert, 1 per commit", "", 1, concurrency, cancellationToken));
        steps.Add(await PostgresCommitAsync("PostgreSQL 1 KB upsert, synchronous_commit=off", "-c synchronous_commit=off", 1, concurrency, cancellationToken));
        steps.Add(await PostgresCommitAsync("PostgreSQL 1 KB upsert, 16 per commit (per row)", "", 16, Math.Max(1, concurrency / 4), cancellationToken));
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

    private static async Task GetAsync(HttpClient client, string customerId, CancellationToken cancellationToken)
    {
        if (await VisibilityPoller.TryGetEventCountAsync(client, customerId, cancellationToken) is null)
        {
            throw new HttpRequestException($"Customer {customerId} not found.");
        }
    }

    private TimeSpan PostgresCpu() => CpuTime.Postgres(new NpgsqlConnectionStringBuilder(platform.PostgresConnectionString).Port);

    private async Task<BreakdownStep> PostgresCommitAsync(string name, string serverOptions, int rowsPerCommit, int concurrency, CancellationToken cancellationToken)
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
            // One round trip, one implicit transaction: a batch of statements commits once.
            await using var batch = dataSource.CreateBatch();
            for (var row = 0; row < rowsPerCommit; row++)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = "insert into public.bench_scratch (id, payload) values ($1, $2) on conflict (id) do update set payload = excluded.payload";
                command.Parameters.Add(new NpgsqlParameter { Value = (int)((i * rowsPerCommit + row) % options.Customers) });
                command.Parameters.Add(new NpgsqlParameter { Value = payload });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(ct);
        }, PostgresCpu, cancellationToken, rowsPerCommit);
    }
}
