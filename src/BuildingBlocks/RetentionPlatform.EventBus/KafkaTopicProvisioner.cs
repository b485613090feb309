using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RetentionPlatform.EventBus;

/// <summary>
/// With <see cref="KafkaOptions.ProvisionTopicsSetting"/> on, creates every platform topic and dead-letter topic that is
/// missing (<see cref="EventTopics.ToProvision"/>) before the service's consumers start, the way each service
/// migrates its own database schema: whichever service starts first creates them, the others find them there.
/// A broker that cannot create them is logged and the service starts anyway; its consumers wait for the topics.
/// </summary>
public sealed partial class KafkaTopicProvisioner(IOptions<KafkaOptions> options, ILogger<KafkaTopicProvisioner> logger) : IHostedService
{
    /// <summary>How long the broker is given to create the topics before the service starts without them.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The topics to create: every platform topic with its partitions, at the configured replication factor.</summary>
    public static IReadOnlyList<TopicSpecification> Specifications(short replicationFactor) =>
        [.. EventTopics.ToProvision().Select(topic => new TopicSpecification
        {
            Name = topic.Key,
            NumPartitions = topic.Value,
            ReplicationFactor = replicationFactor,
        })];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = KafkaProducerConnection.RequireBootstrap(settings) }).Build();
        var topics = Specifications(settings.ReplicationFactor);
        try
        {
            await admin.CreateTopicsAsync(topics, new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout });
            LogCreated(topics.Count);
        }
        catch (CreateTopicsException error)
        {
            var created = error.Results.Count(r => r.Error.Code == ErrorCode.NoError);
            var failed = error.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists)).ToList();
            LogProvisioned(created, error.Results.Count - created - failed.Count);
            foreach (var result in failed)
            {
                LogTopicFailed(result.Topic, result.Error.Reason);
            }
        }
        catch (KafkaException error)
        {
            LogBrokerFailed(error.Error.Reason);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Created all {Count} platform topics")]
    private partial void LogCreated(int count);

    [LoggerMessage(LogLevel.Information, "Created {Created} platform topics; {Existing} existed already")]
    private partial void LogProvisioned(int created, int existing);

    [LoggerMessage(LogLevel.Warning, "Topic {Topic} could not be created: {Reason}")]
    private partial void LogTopicFailed(string topic, string reason);

    [LoggerMessage(LogLevel.Warning, "The platform topics could not be created (the service starts without them; its consumers wait for them): {Reason}")]
    private partial void LogBrokerFailed(string reason);
}
