using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace RetentionPlatform.EventBus;

/// <summary>
/// The process's one Kafka producer: idempotent, acks=all, short linger so concurrent publishes share
/// batches without adding noticeable latency. Shared by the publisher and the dead-letter path.
/// </summary>
public sealed class KafkaProducerConnection : IDisposable
{
    public KafkaProducerConnection(IOptions<KafkaOptions> options)
    {
        var config = new ProducerConfig(new Dictionary<string, string>(options.Value.Producer))
        {
            BootstrapServers = RequireBootstrap(options.Value),
            Acks = Acks.All,
            EnableIdempotence = true,
        };
        config.LingerMs ??= 5;
        config.MessageTimeoutMs ??= 30_000;
        Producer = new ProducerBuilder<string, byte[]>(config).Build();
    }

    public IProducer<string, byte[]> Producer { get; }

    public void Dispose()
    {
        // Flush so events acknowledged to nobody yet still reach the broker on a clean shutdown.
        Producer.Flush(TimeSpan.FromSeconds(5));
        Producer.Dispose();
    }

    internal static string RequireBootstrap(KafkaOptions options) =>
        string.IsNullOrWhiteSpace(options.BootstrapServers)
            ? throw new InvalidOperationException($"Kafka is not configured: set ConnectionStrings:{KafkaOptions.ConnectionStringName} (ConnectionStrings__{KafkaOptions.ConnectionStringName}) to the bootstrap servers.")
            : options.BootstrapServers;
}
