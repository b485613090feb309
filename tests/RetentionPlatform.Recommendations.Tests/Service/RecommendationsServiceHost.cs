using System.Net;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetentionPlatform.EventBus;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;
using V1 = RetentionPlatform.Contracts.Recommendations.V1;

namespace RetentionPlatform.Recommendations.Tests.Service;

/// <summary>
/// The Recommendations service as its own Kestrel application (HTTP/2 cleartext on a loopback port) over its own
/// PostgreSQL database and the run's embedded Kafka broker, with its own consumer group; called the way the gateway
/// calls it (a tenant header with the gateway's signature). Starting a second host on the same database and group is
/// a restart.
/// </summary>
public sealed class RecommendationsServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private RecommendationsServiceHost(WebApplication app, Uri address, string connectionString, string group, string secret)
    {
        _app = app;
        ConnectionString = connectionString;
        ConsumerGroup = group;
        Secret = secret;
        Trust = new GatewayTrust(secret);
        Http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        _channel = GrpcChannel.ForAddress(address);
        Grpc = new V1.Recommendations.RecommendationsClient(_channel);
    }

    public string ConnectionString { get; }

    public string ConsumerGroup { get; }

    public string Secret { get; }

    public GatewayTrust Trust { get; }

    public HttpClient Http { get; }

    public V1.Recommendations.RecommendationsClient Grpc { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the service on a fresh database, or on <paramref name="restartOf"/>'s database, group and secret.</summary>
    public static async Task<RecommendationsServiceHost> StartAsync(RecommendationsServiceHost? restartOf = null)
    {
        var connectionString = restartOf?.ConnectionString ?? await TestServers.CreateDatabaseAsync("recommendations");
        var group = restartOf?.ConsumerGroup ?? $"recommendations-test-{Guid.NewGuid():N}";
        var secret = restartOf?.Secret ?? GatewayTrust.NewSecret();

        var builder = WebApplication.CreateBuilder();
        // The service's own appsettings.json (fixed ports, a local database) is for running it alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers,
            ["ConnectionStrings:recommendationsdb"] = connectionString,
            ["Recommendations:ConsumerGroup"] = group,
            ["Kafka:Consumer:fetch.wait.max.ms"] = "10",
            [GatewayTrust.SecretKey] = secret,
        });
        builder.Logging.ClearProviders();
        ListenOptions listen = null!;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, options =>
        {
            options.Protocols = HttpProtocols.Http2;
            listen = options;
        }));
        builder.AddServiceDefaults();
        builder.AddRecommendationsServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapRecommendationsEndpoints();
        await app.StartAsync();
        return new RecommendationsServiceHost(app, new Uri($"http://{listen.IPEndPoint}"), connectionString, group, secret);
    }

    /// <summary>gRPC call options carrying <paramref name="tenant"/>, signed like the gateway signs it.</summary>
    public CallOptions As(string tenant) => new(new Metadata
    {
        { TenantHeaders.Tenant, tenant },
        { TenantHeaders.GatewaySignature, Trust.Sign(tenant) },
    }, deadline: DateTime.UtcNow.AddSeconds(30));

    /// <summary>Sends a REST request as <paramref name="tenant"/> (signed), with a JSON body when given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string tenant, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Add(TenantHeaders.Tenant, tenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, Trust.Sign(tenant));
        return await Http.SendAsync(request);
    }

    /// <summary>Publishes customer events to <c>retention.customer-events.v1</c> as Events does.</summary>
    public Task PublishAsync(params EventEnvelope[] envelopes) => PublishToAsync(EventTopics.CustomerEvents, envelopes);

    /// <summary>Publishes events to <paramref name="topic"/>.</summary>
    public async Task PublishToAsync(string topic, params EventEnvelope[] envelopes)
    {
        var publisher = _app.Services.GetRequiredService<IEventPublisher>();
        foreach (var envelope in envelopes)
        {
            await publisher.PublishAsync(topic, envelope);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
