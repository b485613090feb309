using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Testing;

namespace RetentionPlatform.EventBus.Tests.Bus;

/// <summary>A real host running one hosted consumer of the event bus against the embedded broker.</summary>
public sealed class BusHost : IAsyncDisposable
{
    private readonly IHost _host;

    private BusHost(IHost host, string topic, string groupId)
    {
        _host = host;
        Topic = topic;
        GroupId = groupId;
    }

    public string Topic { get; }

    public string GroupId { get; }

    public IEventPublisher Publisher => _host.Services.GetRequiredService<IEventPublisher>();

    public static async Task<BusHost> StartAsync(RecordingProcessor processor, string topic, string? groupId = null, TimeSpan? grace = null)
    {
        groupId ??= $"group-{Guid.NewGuid():N}";
        // Topics are provisioned by whoever runs the broker, the group's dead-letter topic included.
        try
        {
            TestServers.KafkaBroker.CreateTopic(EventTopics.DeadLetter(groupId), 1);
        }
        catch (InvalidOperationException)
        {
            // A second host of the same group: the topic is there already.
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers;
        builder.Configuration["Kafka:Consumer:group.protocol"] = "consumer";
        builder.Configuration["Kafka:Consumer:fetch.wait.max.ms"] = "50";
        builder.Configuration["Kafka:Producer:linger.ms"] = "1";
        builder.Services.AddSingleton(processor);
        builder.AddKafkaConsumer<RecordingProcessor>(topic, groupId, options =>
        {
            options.InitialBackoff = TimeSpan.FromMilliseconds(10);
            options.MaxAttempts = 3;
            options.ShutdownGracePeriod = grace ?? TimeSpan.FromSeconds(10);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BusHost(host, topic, groupId);
    }

    /// <summary>The group's committed offset per partition of the topic (unset partitions omitted).</summary>
    public Dictionary<int, long> CommittedOffsets()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = TestServers.KafkaBootstrapServers, GroupId = GroupId }).Build();
        var partitions = Enumerable.Range(0, 4).Select(p => new TopicPartition(Topic, p));
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10))
            .Where(o => o.Offset.Value >= 0)
            .ToDictionary(o => o.Partition.Value, o => o.Offset.Value);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
