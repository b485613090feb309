using System.Diagnostics;
using Confluent.Kafka;

namespace RetentionPlatform.EventBus.Tests.EmbeddedBroker;

/// <summary>Confluent.Kafka clients configured the way the platform uses them, tuned for a fast in-memory broker.</summary>
internal static class KafkaTestClients
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static IProducer<string, string> Producer(string bootstrapServers) =>
        new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 1,
        }).Build();

    // KIP-848 groups rebalance as soon as a member leaves; classic groups wait for the session timeout in the mock.
    // A short fetch wait keeps newly assigned partitions from idling behind an empty long poll.
    public static ConsumerConfig ConsumerConfig(string bootstrapServers, string groupId) => new()
    {
        BootstrapServers = bootstrapServers,
        GroupId = groupId,
        GroupProtocol = GroupProtocol.Consumer,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        FetchWaitMaxMs = 50,
    };

    public static IConsumer<string, string> Consumer(string bootstrapServers, string groupId) =>
        new ConsumerBuilder<string, string>(ConsumerConfig(bootstrapServers, groupId)).Build();

    public static IAdminClient Admin(string bootstrapServers) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();

    public static List<ConsumeResult<string, string>> ConsumeExactly(IConsumer<string, string> consumer, int count)
    {
        var results = new List<ConsumeResult<string, string>>(count);
        var deadline = Stopwatch.StartNew();
        while (results.Count < count)
        {
            var remaining = Timeout - deadline.Elapsed;
            Assert.True(remaining > TimeSpan.Zero, $"Consumed {results.Count} of {count} messages within {Timeout}.");
            if (consumer.Consume(remaining) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    public static async Task ProduceValuesAsync(string bootstrapServers, string topic, int count)
    {
        using var producer = Producer(bootstrapServers);
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "key", Value = $"m{i}" });
        }
    }
}
