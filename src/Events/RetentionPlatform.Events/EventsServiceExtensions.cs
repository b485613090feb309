using RetentionPlatform.EventBus;
using RetentionPlatform.Events.Apis;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Events;

/// <summary>Every registration of the Events (ingestion) service.</summary>
public static class EventsServiceExtensions
{
    public static IHostApplicationBuilder AddEventsServices(this IHostApplicationBuilder builder)
    {
        // The event bus also registers TimeProvider.System, which the ingestion API uses for defaults and skew checks.
        builder.AddKafkaEventBus();
        builder.AddGatewayTrust();
        return builder;
    }

    public static WebApplication MapEventsEndpoints(this WebApplication app)
    {
        app.MapEventsApi();
        return app;
    }
}
