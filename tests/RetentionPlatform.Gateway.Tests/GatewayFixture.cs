using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// Two real gateway replicas on loopback sharing one PostgreSQL database (tenants, keys), in front of a real HTTP/2
/// backend that echoes what it received, standing in for the Profiles service (the "profiles" cluster); the other
/// clusters point at a closed port. Keys: tenant-a (every scope), tenant-b (every scope), and two single-scope keys
/// of tenant-a.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string TenantAKey = "key-for-tenant-a";
    public const string TenantBKey = "key-for-tenant-b";
    public const string TenantAIngestKey = "ingest-only-key-for-tenant-a";
    public const string TenantAReadKey = "read-only-key-for-tenant-a";
    public const string OperatorKey = "operator-key-for-tests";

    /// <summary>The secret the gateway signs tenants with; the echo backend checks it like a service does.</summary>
    public static readonly string GatewaySecret = GatewayTrust.NewSecret();

    private WebApplication _backend = null!;
    private readonly List<WebApplication> _gateways = [];

    public HttpClient Client { get; private set; } = null!;

    /// <summary>A second replica of the gateway on the same database.</summary>
    public HttpClient Replica { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var backendBuilder = WebApplication.CreateSlimBuilder();
        backendBuilder.Logging.ClearProviders();
        backendBuilder.Configuration.Sources.Clear();
        ListenOptions backendListen = null!;
        backendBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => (backendListen = o).Protocols = HttpProtocols.Http2));
        _backend = backendBuilder.Build();
        var trust = new GatewayTrust(GatewaySecret);
        _backend.Map("/v1/customers/{id}/{**rest}", async (string id, HttpContext context) =>
        {
            // Like a real service, read what was sent before answering.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            if (id == "slow")
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }

            // How gRPC JSON transcoding answers an error: a JSON google.rpc.Status.
            if (id == "rpc-invalid")
            {
                return Results.Json(
                    new Dictionary<string, object>
                    {
                        ["code"] = 3,
                        ["message"] = "2 fields are invalid",
                        ["details"] = new[]
                        {
                            new Dictionary<string, object>
                            {
                                ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
                                ["fieldViolations"] = new[] { new { field = "start", description = "The start must be before the end." }, new { field = "serviceId", description = "Unknown service." } },
                            },
                        },
                    },
                    statusCode: 400);
            }

            if (id == "rpc-missing")
            {
                return Results.Json(new { code = 5, message = "Booking b-1 was not found." }, statusCode: 404);
            }

            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            headers["signature-check"] = trust.Verify(context.Request.Headers[TenantHeaders.Tenant], context.Request.Headers[TenantHeaders.GatewaySignature]) ?? "valid";
            return Results.Ok(new EchoedRequest(context.Request.Protocol, headers));
        });
        await _backend.StartAsync();
        var backendPort = backendListen.IPEndPoint!.Port;

        var database = await TestServers.CreateDatabaseAsync("gateway");
        var closedPort = TestServers.FreePort();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = database,
            ["Platform:GatewaySecret"] = GatewaySecret,
            ["services:profiles:grpc:0"] = $"http://127.0.0.1:{backendPort}",
            ["services:events:grpc:0"] = $"http://127.0.0.1:{closedPort}",
            ["Gateway:ApiKeys:a:Tenant"] = "tenant-a",
            ["Gateway:ApiKeys:a:Sha256"] = ApiKeyHasher.Hash(TenantAKey),
            ["Gateway:ApiKeys:b:Tenant"] = "tenant-b",
            ["Gateway:ApiKeys:b:Sha256"] = ApiKeyHasher.Hash(TenantBKey),
            ["Gateway:ApiKeys:a-ingest:Tenant"] = "tenant-a",
            ["Gateway:ApiKeys:a-ingest:Sha256"] = ApiKeyHasher.Hash(TenantAIngestKey),
            ["Gateway:ApiKeys:a-ingest:Scopes:0"] = "ingest",
            ["Gateway:ApiKeys:a-read:Tenant"] = "tenant-a",
            ["Gateway:ApiKeys:a-read:Sha256"] = ApiKeyHasher.Hash(TenantAReadKey),
            ["Gateway:ApiKeys:a-read:Scopes:0"] = "read",
            ["Gateway:Operator:Sha256"] = ApiKeyHasher.Hash(OperatorKey),
            ["Gateway:KeyRing:RefreshInterval"] = "00:00:00.200",
            ["Gateway:RequestTimeout"] = "00:00:02",
            // High defaults: only the tests that set a tenant's own limit meet one.
            ["Gateway:RateLimits:Tenant:PermitsPerSecond"] = "100000",
            ["Gateway:RateLimits:Tenant:Burst"] = "100000",
        };

        Client = await StartGatewayAsync(settings);
        Replica = await StartGatewayAsync(settings);
    }

    private async Task<HttpClient> StartGatewayAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        // The gateway's own appsettings.json (fixed ports 8080/8081), copied beside the tests, is for running it alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        ListenOptions listen = null!;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => listen = o));
        builder.AddServiceDefaults();
        builder.AddGatewayServices();
        var gateway = builder.Build();
        gateway.MapDefaultEndpoints();
        gateway.MapGateway();
        await gateway.StartAsync();
        _gateways.Add(gateway);
        return new HttpClient { BaseAddress = new Uri($"http://{listen.IPEndPoint}") };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Replica.Dispose();
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await _backend.DisposeAsync();
    }
}
