using System.Text.Json;
using System.Text.Json.Serialization;
using RetentionPlatform.EventBus;
using RetentionPlatform.Postgres;
using RetentionPlatform.Recommendations.Apis;
using RetentionPlatform.Recommendations.Grpc;
using RetentionPlatform.Recommendations.Infrastructure;
using RetentionPlatform.Recommendations.IntegrationEvents.Processors;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Recommendations;

/// <summary>
/// Every registration of the Recommendations service: the in-memory per-tenant models rebuilt from PostgreSQL at
/// start, the Kafka consumer that keeps them learning from customer events, gRPC and REST.
/// </summary>
public static class RecommendationsServiceExtensions
{
    /// <summary>Connection string name of the Recommendations database (the Aspire contract: <c>ConnectionStrings__recommendationsdb</c>).</summary>
    public const string DatabaseName = "recommendationsdb";

    /// <summary>Consumer group of the Recommendations service (its dead-letter topic is provisioned with the platform's topics).</summary>
    public const string ConsumerGroup = EventTopics.RecommendationsConsumerGroup;

    public static IHostApplicationBuilder AddRecommendationsServices(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(DatabaseName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings:{DatabaseName} (ConnectionStrings__{DatabaseName}) to the Recommendations PostgreSQL database, where the catalog and what customers did are kept.");

        // The event bus also registers TimeProvider.System.
        builder.AddKafkaEventBus();
        builder.AddGatewayTrust();
        builder.Services.AddNpgsqlDataSource(connectionString, dataSource => dataSource.TraceCommandsWithinTraces());
        builder.Services.AddPostgresMigrations("recommendations", typeof(RecommendationsServiceExtensions).Assembly);
        builder.Services.AddOptions<RecommenderOptions>()
            .Bind(builder.Configuration.GetSection(RecommenderOptions.SectionName))
            .Validate(o => o.HalfLife > TimeSpan.Zero && o.TrendingHalfLife > TimeSpan.Zero && o.InterestHalfLife > TimeSpan.Zero
                && o.HistoryLength > 0 && o.PairWindow is > 0 and <= 256 && o.MaxNeighbours > 0 && o.ReplayWindow > TimeSpan.Zero
                && o.CategoryPenalty is > 0 and <= 1 && o.Shrinkage >= 0 && o.MinimumEvidence >= 0
                && o.RelativeCut is >= 0 and < 1 && o.PersonalShare is > 0 and <= 1,
                "Recommendations:Model has a value out of range (half-lives and windows positive, PairWindow 1-256, CategoryPenalty and PersonalShare in (0, 1], RelativeCut in [0, 1)).")
            .ValidateOnStart();
        builder.Services.AddSingleton<Recommender>();
        builder.Services.AddSingleton<RecommendationStore>();
        builder.Services.AddSingleton<CatalogWriter>();
        builder.Services.AddSingleton<ModelReadiness>();
        builder.Services.AddHealthChecks().AddNpgSql().AddCheck<ModelReadiness>("recommendation-models");

        // Registered after the migrations and before the consumer: hosted services start in order, so the tables exist
        // when the models are loaded, and the models are whole before the first event is applied or request answered.
        builder.Services.AddHostedService<RecommendationModelLoader>();
        // The models are in memory and learn only what this process records: run one replica per database. Another
        // deployment with its own database reading the same topic (a test host) names its own group with
        // Recommendations:ConsumerGroup so it does not take partitions away from this one.
        var group = builder.Configuration["Recommendations:ConsumerGroup"] ?? ConsumerGroup;
        builder.AddKafkaConsumer<CustomerEventsProcessor>(EventTopics.CustomerEvents, group);

        // An erasure through the Profiles API (DELETE /v1/customers/{id}) is announced on the profile events as
        // customer_erased; the same processor forgets the customer and ignores the topic's other changes.
        builder.AddKafkaConsumer<CustomerEventsProcessor>(EventTopics.ProfileEvents, group + "-profile-events");

        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.Interceptors.Add<InvalidMessageInterceptor>();
        });
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return builder;
    }

    public static WebApplication MapRecommendationsEndpoints(this WebApplication app)
    {
        app.UseGrpcRequestValidation();
        app.MapGrpcService<RecommendationsGrpcService>();
        app.MapServiceStatus("recommendations");
        app.MapRecommendationsApi();
        app.MapCatalogApi();
        return app;
    }
}
