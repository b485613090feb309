using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RetentionPlatform.EventBus;

/// <summary>
/// Readiness of the event bus: the broker answers a metadata request through the
/// process's own producer connection (no extra connection per probe). A service whose broker is unreachable
/// is alive but not ready: it accepts nothing it could not pass on.
/// </summary>
public sealed class KafkaHealthCheck(KafkaProducerConnection connection) : IHealthCheck
{
    /// <summary>The name the check is registered under (<c>/health</c> and <c>/ready</c> list it).</summary>
    public const string Name = "kafka";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        // librdkafka's metadata call blocks; keep it off the request thread.
        Task.Run(() =>
        {
            try
            {
                using var admin = new DependentAdminClientBuilder(connection.Producer.Handle).Build();
                var metadata = admin.GetMetadata(Timeout);
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s) reachable.")
                    : HealthCheckResult.Unhealthy("The Kafka cluster reported no brokers.");
            }
            catch (KafkaException error)
            {
                return HealthCheckResult.Unhealthy("The Kafka broker did not answer.", error);
            }
        }, cancellationToken);
}
