using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using RetentionPlatform.EventBus.EmbeddedBroker;

namespace RetentionPlatform.EventBus.Tests.EmbeddedBroker;

public sealed class EmbeddedKafkaBrokerMessagingTests
{
    private const string Topic = "retention.customer-events.v1";

    [Fact]
    public async Task ProducedMessagesWithHeadersAreConsumedByAGroup()
    {
        using var broker = EmbeddedKafkaBroker.Start(new Dictionary<string, int> { [Topic] = 3 });
        var sent = new List<(Message<string, string> Message, DeliveryResult<string, string> Delivery)>();
        using (var producer = KafkaTestClients.Producer(broker.BootstrapServers))
        {
            for (var i = 0; i < 24; i++)
            {
                var message = new Message<string, string>
                {
                    Key = $"customer-{i % 4}",
                    Value = $"{{\"sequence\":{i}}}",
                    Headers = new Headers
                    {
                        { "event-type", Encoding.UTF8.GetBytes("CustomerRegistered") },
                        { "correlation-id", Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()) },
                    },
                };
                sent.Add((message, await producer.ProduceAsync(Topic, message)));
            }
        }

        using var consumer = KafkaTestClients.Consumer(broker.BootstrapServers, "customer-projections");
        consumer.Subscribe(Topic);
        var received = KafkaTestClients.ConsumeExactly(consumer, sent.Count);
        consumer.Close();

        Assert.All(sent, s => Assert.Equal(PersistenceStatus.Persisted, s.Delivery.Status));
        Assert.True(sent.Select(s => s.Delivery.Partition.Value).Distinct().Count() > 1, "Keys should spread over partitions.");
        var receivedByValue = received.ToDictionary(r => r.Message.Value);
        Assert.Equal(sent.Count, receivedByValue.Count);
        foreach (var (message, delivery) in sent)
        {
            var consumed = receivedByValue[message.Value];
            Assert.Equal(message.Key, consumed.Message.Key);
            Assert.Equal(delivery.TopicPartitionOffset, consumed.TopicPartitionOffset);
            Assert.Equal(
                message.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))),
                consumed.Message.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))));
            Assert.Equal(TimestampType.CreateTime, consumed.Message.Timestamp.Type);
        }

        Assert.All(
            received.GroupBy(r => r.Message.Key),
            perKey => Assert.Equal(
                sent.Where(s => s.Message.Key == perKey.Key).Select(s => s.Message.Value),
                perKey.Select(r => r.Message.Value)));
    }

    [Fact]
    public async Task OffsetsCommittedByOneConsumerAreSeenByTheNextConsumerInTheGroup()
    {
        using var broker = EmbeddedKafkaBroker.Start(new Dictionary<string, int> { [Topic] = 1 });
        await KafkaTestClients.ProduceValuesAsync(broker.BootstrapServers, Topic, 10);
        var partition = new TopicPartition(Topic, 0);

        using (var first = KafkaTestClients.Consumer(broker.BootstrapServers, "notifications"))
        {
            first.Subscribe(Topic);
            var consumed = KafkaTestClients.ConsumeExactly(first, 4);
            first.Commit(consumed[^1]);
            first.Close();
        }

        using var next = KafkaTestClients.Consumer(broker.BootstrapServers, "notifications");
        var committed = next.Committed([partition], KafkaTestClients.Timeout);
        next.Subscribe(Topic);
        var resumed = KafkaTestClients.ConsumeExactly(next, 6);
        next.Close();

        using var otherGroup = KafkaTestClients.Consumer(broker.BootstrapServers, "analytics");
        otherGroup.Subscribe(Topic);
        var fromStart = KafkaTestClients.ConsumeExactly(otherGroup, 1);
        otherGroup.Close();

        Assert.Equal(new TopicPartitionOffset(partition, 4), Assert.Single(committed));
        Assert.Equal(["m4", "m5", "m6", "m7", "m8", "m9"], resumed.Select(r => r.Message.Value));
        Assert.Equal("m0", fromStart[0].Message.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void TheInitialRebalanceDelayHoldsBackTheFirstClassicGroupAssignment(int delayMs)
    {
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions
        {
            InitialRebalanceDelayMs = delayMs,
            Topics = new Dictionary<string, int> { [Topic] = 1 },
        });
        var config = KafkaTestClients.ConsumerConfig(broker.BootstrapServers, "classic-group");
        config.GroupProtocol = GroupProtocol.Classic;
        var assigned = false;
        using var consumer = new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((_, _) => assigned = true)
            .Build();

        var stopwatch = Stopwatch.StartNew();
        consumer.Subscribe(Topic);
        while (!assigned && stopwatch.Elapsed < KafkaTestClients.Timeout)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(20));
        }

        var elapsed = stopwatch.Elapsed;
        consumer.Close();

        Assert.True(assigned);

        // Without the option the mock holds the first classic join for 3 s, like a real broker.
        if (delayMs == 0)
        {
            Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(1500));
        }
        else
        {
            Assert.InRange(elapsed, TimeSpan.FromMilliseconds(delayMs), KafkaTestClients.Timeout);
        }
    }
}
