using System.Text.Json;
using System.Text.Json.Serialization;
using RetentionPlatform.EventBus;
using RetentionPlatform.Postgres;
using RetentionPlatform.Scheduling.Apis;
using RetentionPlatform.Scheduling.Grpc;
using RetentionPlatform.Scheduling.Infrastructure;
using RetentionPlatform.Scheduling.IntegrationEvents.Processors;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Scheduling;

/// <summary>
/// Every registration of the Scheduling service: the schedule and bookings in PostgreSQL, the outbox dispatcher that
/// publishes appointment events (reminders included) to Kafka, the erasure consumer, gRPC and REST.
/// </summary>
public static class SchedulingServiceExtensions
{
    /// <summary>Connection string name of the Scheduling database (the Aspire contract: <c>ConnectionStrings__schedulingdb</c>).</summary>
    public const string DatabaseName = "schedulingdb";

    public static IHostApplicationBuilder AddSchedulingServices(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(DatabaseName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings:{DatabaseName} (ConnectionStrings__{DatabaseName}) to the Scheduling PostgreSQL database, where schedules and bookings are kept.");

        // The event bus also registers TimeProvider.System.
        builder.AddKafkaEventBus();
        builder.AddGatewayTrust();
        builder.Services.AddNpgsqlDataSource(connectionString, dataSource => dataSource.TraceCommandsWithinTraces());
        builder.Services.AddPostgresMigrations("scheduling", typeof(SchedulingServiceExtensions).Assembly);
        builder.Services.AddOptions<OutboxOptions>()
            .Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.BatchSize is > 0 and <= 10_000 && o.KeepSent >= TimeSpan.Zero,
                "Scheduling:Outbox needs a positive PollInterval, a BatchSize of 1-10000 and a non-negative KeepSent.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ScheduleStore>();
        builder.Services.AddSingleton<BookingStore>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<Scheduler>();
        builder.Services.AddHealthChecks().AddNpgSql();

        // Registered after the migrations: hosted services start in order, so the outbox table exists when it is read.
        builder.Services.AddHostedService<OutboxDispatcher>();

        // Erasure arrives from partners (customer events) and from the Profiles API (profile events).
        var group = builder.Configuration["Scheduling:ConsumerGroup"] ?? EventTopics.SchedulingConsumerGroup;
        builder.AddKafkaConsumer<CustomerErasureProcessor>(EventTopics.CustomerEvents, group);
        builder.AddKafkaConsumer<CustomerErasureProcessor>(EventTopics.ProfileEvents, group + "-profile-events");

        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.Interceptors.Add<InvalidMessageInterceptor>();
        });
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return builder;
    }

    public static WebApplication MapSchedulingEndpoints(this WebApplication app)
    {
        app.UseGrpcRequestValidation();
        app.MapGrpcService<SchedulingGrpcService>();
        app.MapServiceStatus("scheduling");
        app.MapScheduleApi();
        app.MapBookingsApi();
        return app;
    }
}
