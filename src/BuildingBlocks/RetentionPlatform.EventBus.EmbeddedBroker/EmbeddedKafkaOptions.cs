namespace RetentionPlatform.EventBus.EmbeddedBroker;

/// <summary>How to start an <see cref="EmbeddedKafkaBroker"/>.</summary>
public sealed class EmbeddedKafkaOptions
{
    /// <summary>Number of mock brokers in the cluster (ids 1..n). Default 1.</summary>
    public int BrokerCount { get; init; } = 1;

    /// <summary>
    /// Topics to create up front, by name, with their partition counts. Topics not listed here are auto-created with
    /// 4 partitions on first use.
    /// </summary>
    public IReadOnlyDictionary<string, int> Topics { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Fixed loopback port for the first broker, or <see langword="null"/> for a port chosen by the system.
    /// </summary>
    public int? Port { get; init; }

    /// <summary>
    /// The brokers' <c>group.initial.rebalance.delay.ms</c>. Default 0, so consumer groups form without waiting.
    /// </summary>
    public int InitialRebalanceDelayMs { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BrokerCount, 1, nameof(BrokerCount));
        ArgumentNullException.ThrowIfNull(Topics, nameof(Topics));
        ArgumentOutOfRangeException.ThrowIfNegative(InitialRebalanceDelayMs, nameof(InitialRebalanceDelayMs));
        if (Port is { } port)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(port, 1, nameof(Port));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, nameof(Port));
        }

        foreach (var (topic, partitions) in Topics)
        {
            EmbeddedKafkaBroker.ValidateTopic(topic, partitions);
        }
    }
}
