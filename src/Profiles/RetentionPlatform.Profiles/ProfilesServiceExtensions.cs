using Npgsql;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using RetentionPlatform.EventBus;
using RetentionPlatform.Postgres;
using RetentionPlatform.Profiles.Apis;
using RetentionPlatform.Profiles.Grpc;
using RetentionPlatform.Profiles.Infrastructure;
using RetentionPlatform.Profiles.IntegrationEvents.Processors;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles;

/// <summary>Every registration of the Profiles service: Orleans silo, PostgreSQL, Kafka consumer, gRPC, REST.</summary>
public static class ProfilesServiceExtensions
{
    /// <summary>Connection string name of the Profiles database (the Aspire contract: <c>ConnectionStrings__profilesdb</c>).</summary>
    public const string DatabaseName = "profilesdb";

    /// <summary>Consumer group of the Profiles silos (its dead-letter topic is provisioned with the platform's topics).</summary>
    public const string ConsumerGroup = EventTopics.ProfilesConsumerGroup;

    /// <summary>Orleans' own switch for activity propagation through grain calls (<c>Orleans__EnableDistributedTracing</c>).</summary>
    public const string DistributedTracingSetting = "Orleans:EnableDistributedTracing";

    public static IHostApplicationBuilder AddProfilesServices(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(DatabaseName)
            ?? throw new InvalidOperationException($"Set ConnectionStrings:{DatabaseName} to the Profiles PostgreSQL database.");
        builder.Services.AddNpgsqlDataSource(connectionString, dataSource => dataSource.TraceCommandsWithinTraces());
        builder.Services.AddSingleton<GrainStateWriter>();
        builder.Services.AddProfileGrains();
        builder.Services.AddSingleton<IProfileChangeSink, ProfileChangeSink>();
        builder.Services.AddSingleton<ICustomerDirectory, PostgresCustomerDirectory>();
        builder.Services.AddSingleton<ICustomerAliasStore, PostgresCustomerAliasStore>();
        builder.Services.AddHostedService<GrainWakeupScanner>();
        builder.Services.AddPostgresMigrations("profiles", typeof(ProfilesServiceExtensions).Assembly);
        builder.Services.AddHealthChecks().AddNpgSql();

        builder.UseOrleans(silo =>
        {
            // Orleans adds activity propagation itself when Orleans:EnableDistributedTracing is set (an Aspire AppHost
            // sets it): adding it again would register its grain call filters twice and double every grain span.
            if (!builder.Configuration.GetValue<bool>(DistributedTracingSetting))
            {
                silo.AddActivityPropagation();
            }

            silo.AddProfilesOrleansProviders(builder.Configuration);
            // Without a configured provider (the standalone host, a single local silo) the silo clusters with itself.
            if (string.IsNullOrEmpty(builder.Configuration["Orleans:Clustering:ProviderType"]))
            {
                silo.UseLocalhostClustering(
                    builder.Configuration.GetValue("Orleans:Endpoints:SiloPort", 11111),
                    builder.Configuration.GetValue("Orleans:Endpoints:GatewayPort", 30000),
                    serviceId: builder.Configuration["Orleans:ServiceId"] ?? "retention-profiles",
                    clusterId: builder.Configuration["Orleans:ClusterId"] ?? "retention");
            }

            silo.Services.AddGrainStorage(CustomerGrain.StorageName, (sp, _) => new PostgresGrainStorage(
                sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<GrainStateWriter>(),
                new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>())));
        });

        // A grain call fails while Orleans has not yet declared a crashed silo dead (up to about a minute with its
        // default probes): retrying for about two minutes (backoff capped at 5 s) keeps those events in order and
        // out of the dead-letter topic, which is for events that can never be applied.
        builder.AddKafkaConsumer<CustomerEventsProcessor>(EventTopics.CustomerEvents, ConsumerGroup, options => options.MaxAttempts = 30);

        // The Scheduling service's appointment changes feed the same profile (next appointment, visits, no-shows).
        builder.AddKafkaConsumer<AppointmentEventsProcessor>(EventTopics.AppointmentEvents, EventTopics.ProfilesAppointmentEventsConsumerGroup, options => options.MaxAttempts = 30);
        builder.AddKafkaConsumer<MessageEventsProcessor>(EventTopics.MessageEvents, EventTopics.ProfilesMessageEventsConsumerGroup, options => options.MaxAttempts = 30);

        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.Interceptors.Add<InvalidMessageInterceptor>();
        });
        // REST answers enums by name (channel "email", outcome "defer"), like the event catalog and the export.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddGrpcReflection();
        builder.AddGatewayTrust();
        return builder;
    }

    public static WebApplication MapProfilesEndpoints(this WebApplication app)
    {
        app.UseGrpcRequestValidation();
        app.MapGrpcService<ProfilesGrpcService>();
        app.MapGrpcReflectionService();
        app.MapCustomersApi();
        app.MapSegmentsApi();
        app.MapContactPolicyApi();
        return app;
    }
}
