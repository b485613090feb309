using System.Text.Json;
using System.Text.Json.Serialization;
using RetentionPlatform.EventBus;
using RetentionPlatform.Notifications.Apis;
using RetentionPlatform.Notifications.Channels;
using RetentionPlatform.Notifications.Grpc;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Notifications.IntegrationEvents.Processors;
using RetentionPlatform.Notifications.Links;
using RetentionPlatform.Notifications.Templates;
using RetentionPlatform.Postgres;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications;

/// <summary>
/// Every registration of the Notifications service: settings, templates, messages and the delivery log in PostgreSQL;
/// the send pipeline (decide with Profiles, render, deliver, retry) and the publisher of message events; the consumers of
/// send requests, appointment events and erasures; gRPC, REST and the public link pages.
/// </summary>
public static class NotificationsServiceExtensions
{
    /// <summary>Connection string name of the Notifications database (the Aspire contract: <c>ConnectionStrings__notificationsdb</c>).</summary>
    public const string DatabaseName = "notificationsdb";

    public static IHostApplicationBuilder AddNotificationsServices(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString(DatabaseName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings:{DatabaseName} (ConnectionStrings__{DatabaseName}) to the Notifications PostgreSQL database, where messages and their delivery log are kept.");
        var profilesUrl = configuration["services:profiles:grpc:0"]
            ?? throw new InvalidOperationException("Set services:profiles:grpc:0 (services__profiles__grpc__0) to the Profiles service's gRPC address: every send asks it first.");
        var schedulingUrl = configuration["services:scheduling:grpc:0"];
        var recommendationsUrl = configuration["services:recommendations:grpc:0"];

        // The event bus also registers TimeProvider.System.
        builder.AddKafkaEventBus();
        builder.AddGatewayTrust();
        builder.Services.AddNpgsqlDataSource(connectionString, dataSource => dataSource.TraceCommandsWithinTraces());
        builder.Services.AddPostgresMigrations("notifications", typeof(NotificationsServiceExtensions).Assembly);
        builder.Services.AddOptions<NotificationsOptions>()
            .Bind(configuration.GetSection(NotificationsOptions.SectionName))
            .Validate(o => o.PublicBaseUrl.IsAbsoluteUri && o.MaxAttempts is > 0 and <= 50 && o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay
                && o.PollInterval > TimeSpan.Zero && o.BatchSize is > 0 and <= 5_000 && o.Concurrency is > 0 and <= 512 && o.Lease > TimeSpan.FromSeconds(30),
                "Notifications needs an absolute PublicBaseUrl, MaxAttempts 1-50, positive retry delays (max >= base), a positive PollInterval, BatchSize 1-5000, Concurrency 1-512 and a Lease over 30 s.")
            .ValidateOnStart();
        builder.Services.AddSingleton(new NotificationKeys(configuration[NotificationKeys.MasterKeySetting]));
        builder.Services.AddSingleton<SecretBox>();
        builder.Services.AddSingleton(provider => new LinkSigner(provider.GetRequiredService<NotificationKeys>().LinksKey, provider.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(provider => new PlatformClients(
            new Uri(profilesUrl), schedulingUrl is null ? null : new Uri(schedulingUrl), recommendationsUrl is null ? null : new Uri(recommendationsUrl), provider.GetRequiredService<GatewayTrust>(), provider.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddSingleton<MessageStore>();
        builder.Services.AddSingleton<PipelineSignals>();
        builder.Services.AddSingleton<TemplateRenderer>();
        builder.Services.AddMessageChannels();
        builder.Services.AddSingleton<SendPipeline>();
        builder.Services.AddSingleton<Notifier>();
        builder.Services.AddSingleton<ILinkActions, LinkActions>();
        builder.Services.AddHealthChecks().AddNpgSql();

        // Registered after the migrations: hosted services start in order, so the tables exist when they are read.
        builder.Services.AddHostedService<MessageDispatcher>();
        builder.Services.AddHostedService<MessageEventPublisher>();

        var group = configuration["Notifications:ConsumerGroup"] ?? EventTopics.NotificationsConsumerGroup;
        builder.AddKafkaConsumer<NotificationRequestsProcessor>(EventTopics.NotificationRequests, group + "-requests");
        builder.AddKafkaConsumer<AppointmentAutomationProcessor>(EventTopics.AppointmentEvents, group + "-appointment-events");
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

    public static WebApplication MapNotificationsEndpoints(this WebApplication app)
    {
        app.UseGrpcRequestValidation();
        app.MapGrpcService<NotificationsGrpcService>();
        app.MapServiceStatus("notifications");
        app.MapNotificationsApi();
        app.MapLinkPages();
        return app;
    }
}
