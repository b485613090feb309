using System.Diagnostics;
using Confluent.Kafka;
using RetentionPlatform.EventBus;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Events.Tests;

/// <summary>Reads what reached <see cref="EventTopics.CustomerEvents"/> on the test run's embedded broker.</summary>
public static class CustomerEventsTopic
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every event of <paramref name="tenant"/> on the topic, in offset order per partition. It reads each partition
    /// up to the end it had when called, so whatever was acknowledged before the call (every event a request
    /// answered for) is included.
    /// </summary>
    public static List<EventEnvelope> Read(string tenant)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestServers.KafkaBootstrapServers,
            GroupId = $"events-tests-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 50,
        }).Build();

        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < EventTopics.All[EventTopics.CustomerEvents]; partition++)
        {
            var high = consumer.QueryWatermarkOffsets(new TopicPartition(EventTopics.CustomerEvents, partition), Timeout).High.Value;
            if (high > 0)
            {
                ends[partition] = high;
            }
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(EventTopics.CustomerEvents, p, Offset.Beginning)));
        var events = new List<EventEnvelope>();
        var deadline = Stopwatch.StartNew();
        while (ends.Count > 0)
        {
            var remaining = Timeout - deadline.Elapsed;
            Assert.True(remaining > TimeSpan.Zero, $"Partitions {string.Join(", ", ends.Keys)} of {EventTopics.CustomerEvents} were not read to their end within {Timeout}.");
            if (consumer.Consume(remaining) is not { } result)
            {
                continue;
            }

            var partition = result.Partition.Value;
            if (!result.IsPartitionEOF && ends.ContainsKey(partition)
                && EventMessageCodec.Optional(result.Message.Headers, EventHeaders.Tenant) == tenant)
            {
                events.Add(EventMessageCodec.FromResult(result).Envelope);
            }

            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ends.GetValueOrDefault(partition, long.MaxValue))
            {
                ends.Remove(partition);
            }
        }

        consumer.Close();
        return events;
    }

    /// <summary>The event ids of <paramref name="tenant"/> on the topic, sorted.</summary>
    public static List<string> EventIds(string tenant) => [.. Read(tenant).Select(e => e.EventId).Order(StringComparer.Ordinal)];
}
