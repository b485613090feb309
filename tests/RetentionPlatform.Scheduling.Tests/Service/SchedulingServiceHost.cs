using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;
using V1 = RetentionPlatform.Contracts.Scheduling.V1;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>
/// The Scheduling service as its own Kestrel application (HTTP/2 cleartext on a loopback port) over its own
/// PostgreSQL database and the run's embedded Kafka broker, with its own consumer group; called the way the gateway
/// calls it (a tenant header with the gateway's signature). Starting a second host on the same database is a restart.
/// </summary>
public sealed class SchedulingServiceHost : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private bool _stopped;

    private SchedulingServiceHost(WebApplication app, Uri address, string connectionString, string secret)
    {
        _app = app;
        ConnectionString = connectionString;
        Secret = secret;
        Trust = new GatewayTrust(secret);
        Database = NpgsqlDataSource.Create(connectionString);
        Http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        _channel = GrpcChannel.ForAddress(address);
        Grpc = new V1.Scheduling.SchedulingClient(_channel);
    }

    public string ConnectionString { get; }

    public string Secret { get; }

    public GatewayTrust Trust { get; }

    public HttpClient Http { get; }

    /// <summary>The service's database, for checking what it stored.</summary>
    public NpgsqlDataSource Database { get; }

    public V1.Scheduling.SchedulingClient Grpc { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the service on a fresh database, or on <paramref name="restartOf"/>'s database and secret (a restart).</summary>
    public static async Task<SchedulingServiceHost> StartAsync(SchedulingServiceHost? restartOf = null)
    {
        var connectionString = restartOf?.ConnectionString ?? await TestServers.CreateDatabaseAsync("scheduling");
        var secret = restartOf?.Secret ?? GatewayTrust.NewSecret();

        var builder = WebApplication.CreateBuilder();
        // The service's own appsettings.json (fixed ports, a local database) is for running it alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers,
            ["ConnectionStrings:schedulingdb"] = connectionString,
            ["Scheduling:ConsumerGroup"] = $"scheduling-test-{Guid.NewGuid():N}",
            ["Scheduling:Outbox:PollInterval"] = "00:00:00.2",
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
        builder.AddSchedulingServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSchedulingEndpoints();
        await app.StartAsync();
        return new SchedulingServiceHost(app, new Uri($"http://{listen.IPEndPoint}"), connectionString, secret);
    }

    /// <summary>gRPC call options carrying <paramref name="tenant"/>, signed like the gateway signs it.</summary>
    public CallOptions As(string tenant) => new(new Metadata
    {
        { TenantHeaders.Tenant, tenant },
        { TenantHeaders.GatewaySignature, Trust.Sign(tenant) },
    }, deadline: DateTime.UtcNow.AddSeconds(30));

    /// <summary>Sends a REST request as <paramref name="tenant"/> (signed), with a JSON body when given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string tenant, object? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body, Json);
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        }

        request.Headers.Add(TenantHeaders.Tenant, tenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, Trust.Sign(tenant));
        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string tenant) => SendAsync(HttpMethod.Get, path, tenant);

    public Task<HttpResponseMessage> PostAsync(string path, string tenant, object? body) => SendAsync(HttpMethod.Post, path, tenant, body);

    public Task<HttpResponseMessage> PutAsync(string path, string tenant, object body) => SendAsync(HttpMethod.Put, path, tenant, body);

    /// <summary>Publishes an event to <paramref name="topic"/> as the platform's producers do.</summary>
    public async Task PublishAsync(string topic, EventEnvelope envelope) =>
        await _app.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, envelope);

    /// <summary>Stops the service (its outbox dispatcher and consumers) while its database stays for a restart.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _channel.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
        await Database.DisposeAsync();
    }
}
