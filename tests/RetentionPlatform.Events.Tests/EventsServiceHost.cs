using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Events.Tests;

/// <summary>
/// The Events service as its own Kestrel web application on a loopback port, wired like the standalone host wires
/// it, over its own fresh PostgreSQL database and the test run's embedded Kafka broker; called the way the gateway
/// calls it (a tenant header with the gateway's signature).
/// </summary>
public sealed class EventsServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GatewayTrust _trust;

    private EventsServiceHost(WebApplication app, GatewayTrust trust, Uri baseAddress, string connectionString)
    {
        _app = app;
        _trust = trust;
        ConnectionString = connectionString;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    /// <summary>The service's own database.</summary>
    public string ConnectionString { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the service; <paramref name="time"/> replaces its clock, <paramref name="settings"/> add to its configuration.</summary>
    public static async Task<EventsServiceHost> StartAsync(
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<ILoggingBuilder>? logging = null)
    {
        var connectionString = await TestServers.CreateDatabaseAsync("events");
        var secret = GatewayTrust.NewSecret();

        var builder = WebApplication.CreateBuilder();
        // The service's own appsettings.json (fixed ports, a local database) is for running it alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers,
            ["ConnectionStrings:eventsdb"] = connectionString,
            [GatewayTrust.SecretKey] = secret,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        ListenOptions listen = null!;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, options => listen = options));
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddServiceDefaults();
        builder.AddEventsServices();
        logging?.Invoke(builder.Logging);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapEventsEndpoints();
        await app.StartAsync();
        return new EventsServiceHost(app, new GatewayTrust(secret, time), new Uri($"http://{listen.IPEndPoint}"), connectionString);
    }

    /// <summary>
    /// Posts <paramref name="body"/> as <paramref name="tenant"/>, signed like the gateway signs it. With
    /// <paramref name="expectContinue"/> the body is sent only once the service asks for it (as curl does with large
    /// bodies), so a body the service refuses up front is not written into a closing connection.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string tenant, string body, string contentType = "application/json", bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.ExpectContinue = expectContinue;
        request.Headers.Add(TenantHeaders.Tenant, tenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, _trust.Sign(tenant));
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
