using System.Globalization;
using RetentionPlatform.EventBus.EmbeddedBroker.Native;

namespace RetentionPlatform.EventBus.EmbeddedBroker;

/// <summary>
/// An in-process Kafka cluster for development and tests: librdkafka's mock cluster, which speaks the Kafka wire
/// protocol on loopback sockets, so ordinary Kafka clients (Confluent.Kafka included) connect to
/// <see cref="BootstrapServers"/> as they would to a real cluster.
/// </summary>
/// <remarks>
/// Data is held in memory only and pruned silently beyond roughly 5 MiB or 100k batches per partition. There is no
/// TLS, SASL or topic administration API (CreateTopics, DescribeConfigs, ...): create topics through
/// <see cref="EmbeddedKafkaOptions.Topics"/> or <see cref="CreateTopic(string, int)"/>.
/// </remarks>
public sealed class EmbeddedKafkaBroker : IDisposable
{
    private const string LoopbackHost = "127.0.0.1";
    private const int FirstBrokerId = 1;

    private readonly MockClusterHandle _cluster;
    private readonly LoopbackPortForwarder? _forwarder;

    private EmbeddedKafkaBroker(MockClusterHandle cluster, LoopbackPortForwarder? forwarder, string bootstrapServers, int brokerCount)
    {
        _cluster = cluster;
        _forwarder = forwarder;
        BootstrapServers = bootstrapServers;
        BrokerCount = brokerCount;
    }

    /// <summary>The cluster's <c>bootstrap.servers</c> list, e.g. <c>127.0.0.1:39421</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers in the cluster.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a single-broker cluster with the given topics (name to partition count).</summary>
    public static EmbeddedKafkaBroker Start(IReadOnlyDictionary<string, int> topics) =>
        Start(new EmbeddedKafkaOptions { Topics = topics });

    /// <summary>Starts a cluster as described by <paramref name="options"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The fixed <see cref="EmbeddedKafkaOptions.Port"/> is in use.</exception>
    public static EmbeddedKafkaBroker Start(EmbeddedKafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var cluster = MockClusterHandle.Create(options.BrokerCount);
        LoopbackPortForwarder? forwarder = null;
        try
        {
            LibRdKafka.MockGroupInitialRebalanceDelayMs(cluster, options.InitialRebalanceDelayMs);
            foreach (var (topic, partitions) in options.Topics)
            {
                CreateTopicCore(cluster, topic, partitions, options.BrokerCount);
            }

            // The mock lists brokers in id order, so the first entry is broker 1.
            var bootstraps = cluster.ReadBootstrapServers().Split(',');
            if (options.Port is { } port)
            {
                forwarder = LoopbackPortForwarder.Start(port, ParsePort(bootstraps[0]));
                LibRdKafka.MockBrokerSetHostPort(cluster, FirstBrokerId, LoopbackHost, forwarder.Port);
                bootstraps[0] = $"{LoopbackHost}:{forwarder.Port}";
            }

            return new EmbeddedKafkaBroker(cluster, forwarder, string.Join(',', bootstraps), options.BrokerCount);
        }
        catch
        {
            forwarder?.Dispose();
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions, replicated to every broker.</summary>
    /// <exception cref="InvalidOperationException">The topic exists already or the mock refused it.</exception>
    /// <exception cref="ObjectDisposedException">The broker has been disposed.</exception>
    public void CreateTopic(string topic, int partitions)
    {
        ValidateTopic(topic, partitions);
        CreateTopicCore(_cluster, topic, partitions, BrokerCount);
    }

    /// <summary>Stops the cluster and closes its sockets. Safe to call more than once.</summary>
    public void Dispose()
    {
        _forwarder?.Dispose();
        _cluster.Dispose();
    }

    internal static void ValidateTopic(string topic, int partitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
    }

    private static void CreateTopicCore(MockClusterHandle cluster, string topic, int partitions, int replicationFactor)
    {
        var error = LibRdKafka.MockTopicCreate(cluster, topic, partitions, replicationFactor);
        if (error != LibRdKafka.NoError)
        {
            throw new InvalidOperationException(
                $"Could not create topic '{topic}' with {partitions} partition(s): {LibRdKafka.DescribeError(error)}");
        }
    }

    private static int ParsePort(string hostAndPort) =>
        int.Parse(hostAndPort.AsSpan(hostAndPort.LastIndexOf(':') + 1), CultureInfo.InvariantCulture);
}
