using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.Recommendations.Infrastructure;
using RetentionPlatform.Recommendations.IntegrationEvents.Processors;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// The learning rate with persistence: the service's <see cref="CustomerEventsProcessor"/> over a real
/// <see cref="RecommendationStore"/>, fed with consumed events built in memory (no Kafka) the way the Kafka consumer
/// hands them over: batches of <see cref="BatchSize"/> in offset order, each grouped by key (tenant and customer),
/// the groups handled concurrently, the next batch only once the whole batch is done (the consumer commits between).
/// A call that fails is retried as the consumer retries it (up to <see cref="MaxAttempts"/> attempts, backing off from
/// 100 ms, doubling); retries and what caused them are counted.
/// </summary>
internal static class DurablePathPhase
{
    /// <summary>The consumer's default batch size (<c>KafkaConsumerOptions.MaxBatchSize</c>).</summary>
    public const int BatchSize = 500;

    /// <summary>The consumer's default attempts per call (<c>KafkaConsumerOptions.MaxAttempts</c>).</summary>
    public const int MaxAttempts = 5;

    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);

    public static async Task<DurablePathResult> RunAsync(
        Recommender recommender,
        RecommendationStore store,
        string tenantId,
        SyntheticShop shop,
        int firstEvent,
        int warmupEvents,
        int sampleEvents,
        int concurrency,
        int postgresPort,
        bool viewsDescribeItems = true)
    {
        var processor = new CustomerEventsProcessor(recommender, store, TimeProvider.System);
        var consumed = shop.Tail.Skip(firstEvent).Take(warmupEvents + sampleEvents)
            .Select((e, offset) => ToConsumed(tenantId, shop, e, firstEvent + offset, viewsDescribeItems))
            .ToArray();
        if (consumed.Length < warmupEvents + sampleEvents)
        {
            throw new InvalidOperationException($"The shop's tail has {shop.Tail.Length} events; {firstEvent + warmupEvents + sampleEvents} are needed.");
        }

        var calls = new List<double>(sampleEvents);
        await FeedAsync(processor, consumed.AsMemory(0, warmupEvents), concurrency, [], new Failures());

        var model = recommender.For(tenantId);
        var interactionsBefore = model.InteractionCount;
        var gcBefore = GcSnapshot.Take();
        var (cpuBefore, postgresBefore) = (MachineLoad.ProcessCpu(), MachineLoad.PostgresCpu(postgresPort));
        var stopwatch = Stopwatch.StartNew();
        var failures = new Failures();
        var groups = await FeedAsync(processor, consumed.AsMemory(warmupEvents, sampleEvents), concurrency, calls, failures);
        var elapsed = stopwatch.Elapsed;
        var (cpu, postgres) = (MachineLoad.ProcessCpu() - cpuBefore, MachineLoad.PostgresCpu(postgresPort) - postgresBefore);
        return new DurablePathResult(
            sampleEvents,
            model.InteractionCount - interactionsBefore,
            groups,
            elapsed,
            concurrency,
            Latencies.From(calls, failures: 0, elapsed.TotalSeconds),
            GcSnapshot.Take() - gcBefore,
            failures.Retries,
            failures.GaveUp,
            failures.Causes,
            cpu,
            postgres);
    }

    private static async Task<int> FeedAsync(CustomerEventsProcessor processor, ReadOnlyMemory<ConsumedEvent> events, int concurrency, List<double> callMilliseconds, Failures failures)
    {
        var groupCount = 0;
        for (var first = 0; first < events.Length; first += BatchSize)
        {
            var batch = events.Slice(first, Math.Min(BatchSize, events.Length - first)).ToArray();
            var groups = batch.GroupBy(e => e.Envelope.Key, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
            groupCount += groups.Count;
            await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (group, cancellationToken) =>
            {
                var started = Stopwatch.GetTimestamp();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await processor.ProcessAsync(group, cancellationToken);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        if (!failures.Record(e, attempt))
                        {
                            break;
                        }

                        await Task.Delay(InitialBackoff * (1 << (attempt - 1)), cancellationToken);
                    }
                }

                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (callMilliseconds)
                {
                    callMilliseconds.Add(milliseconds);
                }
            });
        }

        return groupCount;
    }

    /// <summary>Failed attempts, counted by cause (the SQL state for PostgreSQL errors).</summary>
    private sealed class Failures
    {
        private readonly Dictionary<string, int> _causes = new(StringComparer.Ordinal);

        public int Retries { get; private set; }

        public int GaveUp { get; private set; }

        public IReadOnlyDictionary<string, int> Causes
        {
            get
            {
                lock (_causes)
                {
                    return new Dictionary<string, int>(_causes, StringComparer.Ordinal);
                }
            }
        }

        /// <summary>Counts a failed attempt; true when the call is to be tried again.</summary>
        public bool Record(Exception error, int attempt)
        {
            var cause = error is PostgresException postgres ? $"{postgres.SqlState} {postgres.MessageText}" : error.GetType().Name;
            lock (_causes)
            {
                _causes[cause] = _causes.GetValueOrDefault(cause) + 1;
                if (attempt < MaxAttempts)
                {
                    Retries++;
                    return true;
                }

                GaveUp++;
                return false;
            }
        }
    }

    /// <summary>
    /// The event as the Events service publishes it: identity in the envelope, the body with its properties. A view
    /// carries the item's name, category and price as a shop sends them, unless <paramref name="describeItem"/> is false.
    /// </summary>
    private static ConsumedEvent ToConsumed(string tenantId, SyntheticShop shop, ShopEvent @event, int offset, bool describeItem)
    {
        var customerId = shop.CustomerIds[@event.Customer];
        var type = @event.Kind switch
        {
            InteractionKind.View => "product_viewed",
            InteractionKind.Cart => "cart_updated",
            _ => "order_placed",
        };

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", @event.EventId);
            json.WriteString("type", type);
            json.WriteString("customerId", customerId);
            json.WriteString("occurredAt", @event.At);
            json.WriteStartObject("properties");
            if (@event.Kind == InteractionKind.View)
            {
                var item = shop.Items[@event.Items[0]];
                json.WriteString("itemId", item.ItemId);
                if (describeItem)
                {
                    json.WriteString("name", item.Name);
                    json.WriteString("category", item.Category);
                    json.WriteNumber("price", item.Price!.Value);
                }
            }
            else
            {
                json.WriteStartArray("itemIds");
                foreach (var item in @event.Items)
                {
                    json.WriteStringValue(shop.Items[item].ItemId);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        var envelope = new EventEnvelope(@event.EventId, type, tenantId, customerId, @event.At, 1, buffer.WrittenMemory.ToArray());
        return new ConsumedEvent(envelope, EventTopics.CustomerEvents, offset % 8, offset, default);
    }
}
