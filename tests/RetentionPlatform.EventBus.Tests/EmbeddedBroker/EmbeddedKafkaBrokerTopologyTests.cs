using System.Globalization;
using System.Net.Sockets;
using Confluent.Kafka;
using RetentionPlatform.EventBus.EmbeddedBroker;

namespace RetentionPlatform.EventBus.Tests.EmbeddedBroker;

public sealed class EmbeddedKafkaBrokerTopologyTests
{
    [Fact]
    public void TheBrokerReportsLoopbackBootstrapServersThatAcceptConnections()
    {
        using var broker = EmbeddedKafkaBroker.Start(new Dictionary<string, int>());

        var address = Assert.Single(broker.BootstrapServers.Split(','));
        Assert.Matches(@"^127\.0\.0\.1:\d+$", address);
        using var client = new TcpClient();
        client.Connect("127.0.0.1", int.Parse(address.Split(':')[1], CultureInfo.InvariantCulture));
        Assert.True(client.Connected);
    }

    [Fact]
    public void EveryBrokerOfAClusterIsAdvertisedInMetadata()
    {
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { BrokerCount = 3 });
        using var admin = KafkaTestClients.Admin(broker.BootstrapServers);

        var metadata = admin.GetMetadata(KafkaTestClients.Timeout);

        Assert.Equal(3, broker.BrokerCount);
        Assert.Equal([1, 2, 3], metadata.Brokers.Select(b => b.BrokerId).Order());
        Assert.Equal(
            broker.BootstrapServers.Split(',').Order(),
            metadata.Brokers.Select(b => $"{b.Host}:{b.Port}").Order());
    }

    [Fact]
    public void TopicsAreCreatedWithTheChosenPartitionCounts()
    {
        var topics = new Dictionary<string, int>
        {
            ["retention.customer-events.v1"] = 6,
            ["retention.profile-events.v1"] = 1,
            ["retention.message-events.v1"] = 3,
        };
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { BrokerCount = 2, Topics = topics });
        using var admin = KafkaTestClients.Admin(broker.BootstrapServers);

        var metadata = admin.GetMetadata(KafkaTestClients.Timeout);

        Assert.Equal(
            topics.OrderBy(t => t.Key),
            metadata.Topics.Select(t => KeyValuePair.Create(t.Topic, t.Partitions.Count)).OrderBy(t => t.Key));
        Assert.All(metadata.Topics, t => Assert.Equal(ErrorCode.NoError, t.Error.Code));
        Assert.All(metadata.Topics.SelectMany(t => t.Partitions), p => Assert.Equal([1, 2], p.Replicas.Order()));
    }

    [Fact]
    public void TopicsCanBeAddedAfterStart()
    {
        using var broker = EmbeddedKafkaBroker.Start(new Dictionary<string, int>());
        broker.CreateTopic("retention.appointment-events.v1", 5);
        using var admin = KafkaTestClients.Admin(broker.BootstrapServers);

        var topic = Assert.Single(admin.GetMetadata("retention.appointment-events.v1", KafkaTestClients.Timeout).Topics);

        Assert.Equal(5, topic.Partitions.Count);
    }

    [Fact]
    public void CreatingATopicThatExistsFails()
    {
        using var broker = EmbeddedKafkaBroker.Start(new Dictionary<string, int> { ["orders"] = 2 });

        var error = Assert.Throws<InvalidOperationException>(() => broker.CreateTopic("orders", 2));

        Assert.Contains("orders", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<EmbeddedKafkaOptions> InvalidOptions() =>
    [
        new EmbeddedKafkaOptions { BrokerCount = 0 },
        new EmbeddedKafkaOptions { Port = 0 },
        new EmbeddedKafkaOptions { Port = 65536 },
        new EmbeddedKafkaOptions { InitialRebalanceDelayMs = -1 },
        new EmbeddedKafkaOptions { Topics = new Dictionary<string, int> { ["orders"] = 0 } },
        new EmbeddedKafkaOptions { Topics = new Dictionary<string, int> { [" "] = 1 } },
    ];

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsAreRejectedBeforeAnythingStarts(EmbeddedKafkaOptions options) =>
        Assert.ThrowsAny<ArgumentException>(() => EmbeddedKafkaBroker.Start(options));
}
