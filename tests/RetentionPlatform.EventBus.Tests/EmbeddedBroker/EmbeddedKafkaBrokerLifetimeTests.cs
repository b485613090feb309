using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Confluent.Kafka;
using RetentionPlatform.EventBus.EmbeddedBroker;
using RetentionPlatform.Testing;

namespace RetentionPlatform.EventBus.Tests.EmbeddedBroker;

public sealed class EmbeddedKafkaBrokerLifetimeTests
{
    private const string Topic = "retention.notification-requests.v1";

    [Fact]
    public async Task TwoBrokersInOneProcessWorkIndependently()
    {
        using var first = EmbeddedKafkaBroker.Start(new Dictionary<string, int> { [Topic] = 2 });
        using var second = EmbeddedKafkaBroker.Start(new Dictionary<string, int> { [Topic] = 5 });

        await KafkaTestClients.ProduceValuesAsync(first.BootstrapServers, Topic, 3);

        Assert.NotEqual(first.BootstrapServers, second.BootstrapServers);
        Assert.Equal(2, PartitionCount(first, Topic));
        Assert.Equal(5, PartitionCount(second, Topic));
        Assert.Equal(3, MessageCount(first, Topic, 2));
        Assert.Equal(0, MessageCount(second, Topic, 5));

        first.Dispose();
        await KafkaTestClients.ProduceValuesAsync(second.BootstrapServers, Topic, 1);

        Assert.Equal(1, MessageCount(second, Topic, 5));
    }

    [Fact]
    public void DisposingTwiceIsSafeAndClosesTheListener()
    {
        var broker = EmbeddedKafkaBroker.Start(new Dictionary<string, int> { [Topic] = 1 });
        var port = int.Parse(broker.BootstrapServers.Split(':')[1], CultureInfo.InvariantCulture);

        broker.Dispose();
        broker.Dispose();

        using var client = new TcpClient();
        var refused = Assert.Throws<SocketException>(() => client.Connect("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Throws<ObjectDisposedException>(() => broker.CreateTopic("late", 1));
    }

    [Fact]
    public async Task DisposingWhileClientsAreConnectedReturnsPromptly()
    {
        var port = TestServers.FreePort();
        var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions
        {
            Port = port,
            Topics = new Dictionary<string, int> { [Topic] = 2 },
        });
        var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            EnableIdempotence = true,
        }).SetLogHandler(static (_, _) => { }).Build();
        var consumer = new ConsumerBuilder<string, string>(
                KafkaTestClients.ConsumerConfig(broker.BootstrapServers, "mid-flight"))
            .SetLogHandler(static (_, _) => { })
            .SetErrorHandler(static (_, _) => { })
            .Build();
        await producer.ProduceAsync(Topic, new Message<string, string> { Key = "k", Value = "before" });
        consumer.Subscribe(Topic);
        Assert.Equal("before", KafkaTestClients.ConsumeExactly(consumer, 1)[0].Message.Value);

        var stopwatch = Stopwatch.StartNew();
        broker.Dispose();
        var brokerDisposeTime = stopwatch.Elapsed;
        producer.Dispose();
        consumer.Dispose();
        var clientsDisposeTime = stopwatch.Elapsed - brokerDisposeTime;

        Assert.InRange(brokerDisposeTime, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.InRange(clientsDisposeTime, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        Assert.Throws<SocketException>(() => client.Connect("127.0.0.1", port));
    }

    private static int PartitionCount(EmbeddedKafkaBroker broker, string topic)
    {
        using var admin = KafkaTestClients.Admin(broker.BootstrapServers);
        return Assert.Single(admin.GetMetadata(topic, KafkaTestClients.Timeout).Topics).Partitions.Count;
    }

    private static long MessageCount(EmbeddedKafkaBroker broker, string topic, int partitions)
    {
        using var consumer = KafkaTestClients.Consumer(broker.BootstrapServers, "watermarks");
        return Enumerable.Range(0, partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), KafkaTestClients.Timeout).High.Value);
    }
}
