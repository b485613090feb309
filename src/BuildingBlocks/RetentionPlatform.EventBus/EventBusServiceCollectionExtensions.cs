using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RetentionPlatform.EventBus;

/// <summary>Registers the Kafka event bus: the shared producer, the publisher and hosted consumers.</summary>
public static class EventBusServiceCollectionExtensions
{
    /// <summary>Adds the producer and <see cref="IEventPublisher"/>, configured from <c>ConnectionStrings:kafka</c> and <c>Kafka</c>.</summary>
    public static IHostApplicationBuilder AddKafkaEventBus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>()
            .Bind(builder.Configuration.GetSection("Kafka"))
            .Configure<IConfiguration>((options, configuration) =>
                options.BootstrapServers = configuration.GetConnectionString(KafkaOptions.ConnectionStringName) ?? options.BootstrapServers);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EventBusTelemetry>();
        builder.Services.TryAddSingleton<KafkaProducerConnection>();
        builder.Services.TryAddSingleton<IEventPublisher, KafkaEventPublisher>();
        // Once per service, however many consumers call this: health check names must be unique, and the topics
        // are provisioned (when asked to) before the first consumer, registered after this, starts.
        if (!builder.Services.Any(service => service.ServiceType == typeof(KafkaHealthCheck)))
        {
            builder.Services.AddSingleton<KafkaHealthCheck>();
            builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>(KafkaHealthCheck.Name);
            if (builder.Configuration.GetValue<bool>(KafkaOptions.ProvisionTopicsSetting))
            {
                builder.Services.AddHostedService<KafkaTopicProvisioner>();
            }
        }

        return builder;
    }

    /// <summary>Adds a hosted consumer that feeds <typeparamref name="TProcessor"/> from one topic as one group.</summary>
    public static IHostApplicationBuilder AddKafkaConsumer<TProcessor>(this IHostApplicationBuilder builder, string topic, string groupId, Action<KafkaConsumerOptions>? configure = null)
        where TProcessor : class, IEventProcessor
    {
        builder.AddKafkaEventBus();
        var options = new KafkaConsumerOptions { Topic = topic, GroupId = groupId };
        builder.Configuration.GetSection($"Kafka:Consumers:{groupId}").Bind(options);
        configure?.Invoke(options);

        builder.Services.TryAddSingleton<TProcessor>();
        builder.Services.AddSingleton<IHostedService>(sp => new KafkaConsumerService(
            options,
            sp.GetRequiredService<TProcessor>(),
            sp.GetRequiredService<IOptions<KafkaOptions>>(),
            sp.GetRequiredService<KafkaProducerConnection>(),
            sp.GetRequiredService<EventBusTelemetry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<KafkaConsumerService>>()));
        return builder;
    }
}
