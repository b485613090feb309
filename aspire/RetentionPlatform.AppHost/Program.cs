using Aspire.Hosting;
using RetentionPlatform.AppHost;

// The platform's resource graph: what runs, what each part is given, and what waits for what.
// How PostgreSQL and Kafka are provided (containers, or local servers with LocalServers=true) is in
// PlatformInfrastructure.cs; the Orleans provider settings in AdoNetOrleansProvider.cs; keys in PlatformKeys.cs.
var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = PlatformInfrastructure.Add(builder);
var gatewayDb = infrastructure.AddDatabase("gatewaydb");
var eventsDb = infrastructure.AddDatabase("eventsdb");
var profilesDb = infrastructure.AddDatabase("profilesdb");
var recommendationsDb = infrastructure.AddDatabase("recommendationsdb");
var schedulingDb = infrastructure.AddDatabase("schedulingdb");
var notificationsDb = infrastructure.AddDatabase("notificationsdb");

var keys = PlatformKeys.Add(builder);

// Profiles silos form one Orleans cluster through PostgreSQL (membership and reminders in profilesdb).
var orleans = builder.AddOrleans("profiles-cluster")
    .WithClusterId("retention")
    .WithServiceId("retention-profiles")
    .WithClustering(new AdoNetOrleansProvider(profilesDb.Resource))
    .WithReminders(new AdoNetOrleansProvider(profilesDb.Resource));

var profiles = builder.AddProject<Projects.RetentionPlatform_Profiles>("profiles")
    .WithReference(orleans)
    .WithDatabase(profilesDb)
    .WithKafka(infrastructure)
    .WithGatewayTrust(keys)
    .WithHttpHealthCheck("/health", endpointName: "http")
    .WithReplicas(2);

var events = builder.AddProject<Projects.RetentionPlatform_Events>("events")
    .WithDatabase(eventsDb)
    .WithKafka(infrastructure)
    .WithGatewayTrust(keys)
    .WithHttpHealthCheck("/health", endpointName: "http")
    .WaitFor(profiles);

var recommendations = builder.AddProject<Projects.RetentionPlatform_Recommendations>("recommendations")
    .WithDatabase(recommendationsDb)
    .WithKafka(infrastructure)
    .WithGatewayTrust(keys)
    .WithHttpHealthCheck("/health", endpointName: "http");

var scheduling = builder.AddProject<Projects.RetentionPlatform_Scheduling>("scheduling")
    .WithDatabase(schedulingDb)
    .WithKafka(infrastructure)
    .WithGatewayTrust(keys)
    .WithHttpHealthCheck("/health", endpointName: "http");

var notifications = builder.AddProject<Projects.RetentionPlatform_Notifications>("notifications")
    .WithDatabase(notificationsDb)
    .WithKafka(infrastructure)
    .WithReference(profiles).WaitFor(profiles)
    .WithReference(scheduling).WaitFor(scheduling)
    .WithReference(recommendations).WaitFor(recommendations)
    .WithGatewayTrust(keys)
    .WithNotificationsMasterKey(keys)
    .WithHttpHealthCheck("/health", endpointName: "http");

// The only endpoints reachable from outside: partners' REST (http) and gRPC (grpc), and the customer link pages.
var gateway = builder.AddProject<Projects.RetentionPlatform_Gateway>("gateway")
    .WithDatabase(gatewayDb)
    .WithReference(events).WaitFor(events)
    .WithReference(profiles).WaitFor(profiles)
    .WithReference(recommendations).WaitFor(recommendations)
    .WithReference(scheduling).WaitFor(scheduling)
    .WithReference(notifications).WaitFor(notifications)
    .WithGatewayTrust(keys)
    .WithDevelopmentApiKeys(keys)
    .WithHttpHealthCheck("/health", endpointName: "http")
    .WithExternalHttpEndpoints();

// Links in messages lead to the gateway's public address.
notifications.WithEnvironment("Notifications__PublicBaseUrl", gateway.GetEndpoint("http"));

builder.Build().Run();
