using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Testing;

namespace RetentionPlatform.EventBus.Tests.Bus;

/// <summary>
/// Topic provisioning at start (<c>Kafka:ProvisionTopics</c>). The embedded broker has no topic administration API,
/// so what can be proven here is what is asked for, that it is off unless asked, and that a broker which cannot
/// create topics neither stops nor hangs the service.
/// </summary>
public sealed class KafkaTopicProvisionerTests
{
    [Fact]
    public void EveryPlatformTopicAndEveryDeadLetterTopicIsAskedForWithItsPartitions()
    {
        var specifications = KafkaTopicProvisioner.Specifications(replicationFactor: 3).ToDictionary(s => s.Name);

        foreach (var (topic, partitions) in EventTopics.All)
        {
            Assert.Equal(partitions, specifications[topic].NumPartitions);
        }

        foreach (var group in EventTopics.ConsumerGroups)
        {
            Assert.Equal(1, specifications[EventTopics.DeadLetter(group)].NumPartitions);
        }

        Assert.Equal(EventTopics.All.Count + EventTopics.ConsumerGroups.Count, specifications.Count);
        Assert.All(specifications.Values, s => Assert.Equal(3, s.ReplicationFactor));
    }

    [Fact]
    public void NothingIsProvisionedUnlessAskedFor()
    {
        var builder = Builder(new Dictionary<string, string?> { ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers }, null);
        builder.AddKafkaConsumer<RecordingProcessor>("topic.a", "group.a");
        using var services = builder.Services.BuildServiceProvider();

        Assert.DoesNotContain(services.GetServices<IHostedService>(), service => service is KafkaTopicProvisioner);
    }

    [Fact]
    public async Task ABrokerThatCannotCreateTopicsIsLoggedAndTheServiceStartsAnyway()
    {
        var logs = new RecordingLoggerProvider();
        var builder = Builder(
            new Dictionary<string, string?> { ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers, [KafkaOptions.ProvisionTopicsSetting] = "true" },
            logs);
        builder.AddKafkaEventBus();
        builder.AddKafkaEventBus(); // a second consumer of the same service: still one provisioner
        using var host = builder.Build();

        Assert.Single(host.Services.GetServices<IHostedService>(), service => service is KafkaTopicProvisioner);
        using var bounded = new CancellationTokenSource(KafkaTopicProvisioner.Timeout * 3);
        await host.StartAsync(bounded.Token);
        await host.StopAsync();

        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("could not be created", StringComparison.Ordinal));
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings, ILoggerProvider? logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        return builder;
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(Entries);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<(LogLevel Level, string Message)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
