using System.Diagnostics;
using Confluent.Kafka;

namespace RetentionPlatform.EventBus;

/// <summary>Publishes through the shared producer, starting a producer span whose context travels in the headers.</summary>
public sealed class KafkaEventPublisher(KafkaProducerConnection connection, EventBusTelemetry telemetry) : IEventPublisher
{
    public async Task PublishAsync(string topic, EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        using var activity = EventBusTelemetry.ActivitySource.StartActivity($"send {topic}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.message.id", envelope.EventId);
        activity?.SetTag("messaging.kafka.message.key", envelope.Key);

        var topicTag = new KeyValuePair<string, object?>("messaging.destination.name", topic);
        try
        {
            var result = await connection.Producer.ProduceAsync(topic, EventMessageCodec.ToMessage(envelope, activity ?? Activity.Current), cancellationToken);
            activity?.SetTag("messaging.destination.partition.id", result.Partition.Value);
            telemetry.Published.Add(1, topicTag);
        }
        catch (ProduceException<string, byte[]> ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Reason);
            telemetry.PublishFailed.Add(1, topicTag);
            throw;
        }
    }
}
