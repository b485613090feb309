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
/// A real gateway (its shipped <c>gateway.routes.json</c>) in front of an HTTP/2 backend standing in for the
/// Notifications service (the "notifications" cluster). The backend answers every REST call under
/// <c>/v1/notifications</c>, every public link page under <c>/m</c> and every <c>retention.notifications.v1.Notifications</c>
/// call with what reached it, in response headers: the path, the tenant, and whether the gateway's signature of that
/// tenant checks out. Keys: one per scope of tenant-a, and tenant-b with every scope.
/// </summary>
public class NotificationsGatewayFixture : IAsyncLifetime
{
    public const string ReachedHeader = "x-test-reached";
    public const string TenantHeader = "x-test-tenant";
    public const string SignatureHeader = "x-test-signature";
    /// <summary>What the backend answers in <see cref="TenantHeader"/> when no tenant reached it.</summary>
    public const string NoTenant = "(none)";

    public const string ApiKeyHeaderSeen = "x-test-api-key-seen";

    /// <summary>The public links' burst per client address: ample, so the link tests of a class never use it up.</summary>
    public virtual int PublicLinksBurst => 10_000;

    public const string TenantBKey = "notifications-key-for-tenant-b";

    /// <summary>The scopes of tenant-a's single-scope keys.</summary>
    public static readonly string[] Scopes = ["ingest", "read", "write", "admin"];

    private static readonly string GatewaySecret = GatewayTrust.NewSecret();

    private WebApplication _backend = null!;
    private WebApplication _gateway = null!;

    /// <summary>The gateway's REST port (HTTP/1.1).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The gateway's gRPC port (cleartext HTTP/2 only: send requests with version 2.0, exact).</summary>
    public HttpClient Grpc { get; private set; } = null!;

    /// <summary>Tenant-a's key with only <paramref name="scope"/>.</summary>
    public static string KeyWith(string scope) => $"notifications-{scope}-only-key-for-tenant-a";

    public async Task InitializeAsync()
    {
        var backendBuilder = WebApplication.CreateSlimBuilder();
        backendBuilder.Logging.ClearProviders();
        backendBuilder.Configuration.Sources.Clear();
        ListenOptions backendListen = null!;
        backendBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => (backendListen = o).Protocols = HttpProtocols.Http2));
        _backend = backendBuilder.Build();
        var trust = new GatewayTrust(GatewaySecret);
        _backend.Map("/m/{**rest}", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            Echo(context, trust);
            context.Response.Headers[ApiKeyHeaderSeen] = context.Request.Headers.ContainsKey("x-api-key") || context.Request.Headers.ContainsKey("Authorization") ? "yes" : "no";
            await context.Response.WriteAsync("<html>page</html>", context.RequestAborted);
        });
        _backend.Map("/v1/notifications/{**rest}", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            Echo(context, trust);
            await context.Response.WriteAsJsonAsync(new { reached = context.Request.Path.Value });
        });
        _backend.MapPost("/retention.notifications.v1.Notifications/{method}", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            Echo(context, trust);
            // Trailers-only: the status in the headers, as a gRPC server answers a call it fails at once.
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "0";
        });
        await _backend.StartAsync();

        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = await TestServers.CreateDatabaseAsync("gateway_notifications"),
            ["Platform:GatewaySecret"] = GatewaySecret,
            ["services:notifications:grpc:0"] = $"http://127.0.0.1:{backendListen.IPEndPoint!.Port}",
            ["Gateway:ApiKeys:b:Tenant"] = "tenant-b",
            ["Gateway:ApiKeys:b:Sha256"] = ApiKeyHasher.Hash(TenantBKey),
            ["Gateway:RequestTimeout"] = "00:00:05",
            ["Gateway:RateLimits:Tenant:PermitsPerSecond"] = "100000",
            ["Gateway:RateLimits:Tenant:Burst"] = "100000",
            ["Gateway:RateLimits:PublicLinks:PermitsPerSecond"] = "1",
            ["Gateway:RateLimits:PublicLinks:Burst"] = PublicLinksBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var scope in Scopes)
        {
            settings[$"Gateway:ApiKeys:a-{scope}:Tenant"] = "tenant-a";
            settings[$"Gateway:ApiKeys:a-{scope}:Sha256"] = ApiKeyHasher.Hash(KeyWith(scope));
            settings[$"Gateway:ApiKeys:a-{scope}:Scopes:0"] = scope;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        // The gateway's own appsettings.json (fixed ports 8080/8081), copied beside the tests, is for running it alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        ListenOptions http = null!;
        ListenOptions grpc = null!;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => http = o);
            k.Listen(IPAddress.Loopback, 0, o => (grpc = o).Protocols = HttpProtocols.Http2);
        });
        builder.AddServiceDefaults();
        builder.AddGatewayServices();
        _gateway = builder.Build();
        _gateway.MapDefaultEndpoints();
        _gateway.MapGateway();
        await _gateway.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://{http.IPEndPoint}") };
        Grpc = new HttpClient { BaseAddress = new Uri($"http://{grpc.IPEndPoint}") };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Grpc.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private static void Echo(HttpContext context, GatewayTrust trust)
    {
        var tenant = context.Request.Headers[TenantHeaders.Tenant].ToString();
        context.Response.Headers[ReachedHeader] = context.Request.Path.Value;
        context.Response.Headers[TenantHeader] = tenant.Length == 0 ? NoTenant : tenant;
        context.Response.Headers[SignatureHeader] = trust.Verify(tenant, context.Request.Headers[TenantHeaders.GatewaySignature]) ?? "valid";
    }
}
