using RetentionPlatform.EventBus;
using RetentionPlatform.Events.Apis;
using RetentionPlatform.Events.Infrastructure;
using RetentionPlatform.Postgres;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Events;

/// <summary>Every registration of the Events (ingestion) service: Kafka publisher, PostgreSQL duplicate record, REST.</summary>
public static class EventsServiceExtensions
{
    /// <summary>Connection string name of the Events database (the Aspire contract: <c>ConnectionStrings__eventsdb</c>).</summary>
    public const string DatabaseName = "eventsdb";

    public static IHostApplicationBuilder AddEventsServices(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(DatabaseName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings:{DatabaseName} (ConnectionStrings__{DatabaseName}) to the Events PostgreSQL database, where received event ids are kept.");

        // The event bus also registers TimeProvider.System, which the ingestion API uses for defaults and skew checks.
        builder.AddKafkaEventBus();
        builder.AddGatewayTrust();

        builder.Services.AddNpgsqlDataSource(connectionString, dataSource => dataSource.TraceCommandsWithinTraces());
        builder.Services.AddPostgresMigrations("events", typeof(EventsServiceExtensions).Assembly);
        builder.Services.AddHealthChecks().AddNpgSql();
        builder.Services.AddOptions<ReceivedEventsOptions>()
            .Bind(builder.Configuration.GetSection(ReceivedEventsOptions.SectionName))
            .Validate(o => o.DuplicateWindow > TimeSpan.Zero && o.DuplicateCleanupInterval > TimeSpan.Zero,
                "Events:DuplicateWindow and Events:DuplicateCleanupInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ReceivedEvents>();
        builder.Services.AddSingleton<EventIngestor>();
        // Registered after the migrations: hosted services start in order, so the table exists at the first cleanup.
        builder.Services.AddHostedService<ReceivedEventsCleanup>();
        return builder;
    }

    public static WebApplication MapEventsEndpoints(this WebApplication app)
    {
        app.MapEventsApi();
        return app;
    }
}
