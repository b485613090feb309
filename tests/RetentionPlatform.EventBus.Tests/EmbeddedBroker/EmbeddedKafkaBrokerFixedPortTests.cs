using System.Net;
using System.Net.Sockets;
using RetentionPlatform.EventBus.EmbeddedBroker;
using RetentionPlatform.Testing;

namespace RetentionPlatform.EventBus.Tests.EmbeddedBroker;

public sealed class EmbeddedKafkaBrokerFixedPortTests
{
    private const string Topic = "retention.message-events.v1";

    [Fact]
    public async Task AFixedPortServesMetadataProduceAndConsume()
    {
        var port = TestServers.FreePort();
        using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions
        {
            BrokerCount = 2,
            Port = port,
            Topics = new Dictionary<string, int> { [Topic] = 4 },
        });
        using var admin = KafkaTestClients.Admin($"127.0.0.1:{port}");

        var metadata = admin.GetMetadata(KafkaTestClients.Timeout);
        await KafkaTestClients.ProduceValuesAsync($"127.0.0.1:{port}", Topic, 5);
        using var consumer = KafkaTestClients.Consumer($"127.0.0.1:{port}", "fixed-port");
        consumer.Subscribe(Topic);
        var received = KafkaTestClients.ConsumeExactly(consumer, 5);
        consumer.Close();

        Assert.StartsWith($"127.0.0.1:{port},", broker.BootstrapServers, StringComparison.Ordinal);
        Assert.Equal(port, metadata.Brokers.Single(b => b.BrokerId == 1).Port);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], received.Select(r => r.Message.Value));
    }

    [Fact]
    public async Task AFixedPortCanBeReusedRightAfterDispose()
    {
        var port = TestServers.FreePort();
        var options = new EmbeddedKafkaOptions { Port = port, Topics = new Dictionary<string, int> { [Topic] = 1 } };
        using (var broker = EmbeddedKafkaBroker.Start(options))
        {
            await KafkaTestClients.ProduceValuesAsync(broker.BootstrapServers, Topic, 1);
        }

        using var restarted = EmbeddedKafkaBroker.Start(options);
        using var admin = KafkaTestClients.Admin(restarted.BootstrapServers);

        Assert.Equal($"127.0.0.1:{port}", restarted.BootstrapServers);
        Assert.Single(admin.GetMetadata(Topic, KafkaTestClients.Timeout).Topics);
    }

    [Fact]
    public void AFixedPortThatIsTakenFailsToStart()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        var port = ((IPEndPoint)occupant.LocalEndPoint!).Port;

        var error = Assert.Throws<SocketException>(() => EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = port }));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Fact]
    public void TwoBrokersCannotShareAFixedPort()
    {
        var options = new EmbeddedKafkaOptions { Port = TestServers.FreePort() };
        using var first = EmbeddedKafkaBroker.Start(options);

        var error = Assert.Throws<SocketException>(() => EmbeddedKafkaBroker.Start(options));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }
}
