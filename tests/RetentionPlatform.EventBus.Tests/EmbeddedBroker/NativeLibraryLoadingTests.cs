using Confluent.Kafka;
using RetentionPlatform.EventBus.EmbeddedBroker;

namespace RetentionPlatform.EventBus.Tests.EmbeddedBroker;

public sealed class NativeLibraryLoadingTests
{
    [Fact]
    public async Task ConfluentKafkaAndTheBrokerShareOneCopyOfLibrdkafka()
    {
        using var broker = EmbeddedKafkaBroker.Start(new Dictionary<string, int> { ["shared"] = 1 });
        await KafkaTestClients.ProduceValuesAsync(broker.BootstrapServers, "shared", 1);

        Assert.StartsWith("2.16.", Library.VersionString, StringComparison.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var mappedCopies = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).Contains("librdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Distinct();
        Assert.Single(mappedCopies);
    }
}
