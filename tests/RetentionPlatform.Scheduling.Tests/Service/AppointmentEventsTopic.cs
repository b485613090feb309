using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using RetentionPlatform.EventBus;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>Reads what reached <see cref="EventTopics.AppointmentEvents"/> on the test run's embedded broker.</summary>
public static class AppointmentEventsTopic
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every event of <paramref name="tenant"/> on the topic, in offset order per partition. It reads each partition
    /// up to the end it had when called, so whatever Kafka acknowledged before the call is included.
    /// </summary>
    public static List<AppointmentEvent> Read(string tenant)
    {
        var topic = EventTopics.AppointmentEvents;
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestServers.KafkaBootstrapServers,
            GroupId = $"scheduling-tests-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 20,
        }).Build();

        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < EventTopics.All[topic]; partition++)
        {
            var high = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Timeout).High.Value;
            if (high > 0)
            {
                ends[partition] = high;
            }
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var events = new List<AppointmentEvent>();
        var elapsed = Stopwatch.StartNew();
        while (ends.Count > 0)
        {
            var remaining = Timeout - elapsed.Elapsed;
            Assert.True(remaining > TimeSpan.Zero, $"Partitions {string.Join(", ", ends.Keys)} of {topic} were not read to their end within {Timeout}.");
            if (consumer.Consume(remaining) is not { } result)
            {
                continue;
            }

            var partition = result.Partition.Value;
            if (!result.IsPartitionEOF && ends.ContainsKey(partition)
                && EventMessageCodec.Optional(result.Message.Headers, EventHeaders.Tenant) == tenant)
            {
                var envelope = EventMessageCodec.FromResult(result).Envelope;
                using var payload = JsonDocument.Parse(envelope.Payload);
                events.Add(new AppointmentEvent(envelope, result.Message.Key, payload.RootElement.GetProperty("properties").Clone()));
            }

            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ends.GetValueOrDefault(partition, long.MaxValue))
            {
                ends.Remove(partition);
            }
        }

        consumer.Close();
        return events;
    }

    /// <summary>Waits until <paramref name="tenant"/>'s events on the topic include one that <paramref name="match"/>es; returns them all.</summary>
    public static Task<List<AppointmentEvent>> WaitForAsync(string tenant, Func<AppointmentEvent, bool> match, string what, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => Task.Run(() => Read(tenant)), events => events.Any(match), what, timeout);
}
