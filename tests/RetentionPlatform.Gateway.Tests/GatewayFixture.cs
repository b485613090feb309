using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// A real gateway on loopback in front of a real HTTP/2 backend that echoes the headers it received,
/// standing in for the Profiles service (the "profiles" cluster); the other clusters point at a closed port.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string TenantAKey = "key-for-tenant-a";
    public const string TenantBKey = "key-for-tenant-b";

    private WebApplication _backend = null!;
    private WebApplication _gateway = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var backendBuilder = WebApplication.CreateSlimBuilder();
        backendBuilder.Logging.ClearProviders();
        ListenOptions backendListen = null!;
        backendBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => (backendListen = o).Protocols = HttpProtocols.Http2));
        _backend = backendBuilder.Build();
        _backend.MapGet("/v1/customers/{id}", (HttpContext context) => TypedResults.Ok(new EchoedRequest(
            context.Request.Protocol,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()))));
        await _backend.StartAsync();
        var backendPort = backendListen.IPEndPoint!.Port;

        var closedPort = TestServers.FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        // The gateway's own appsettings.json (fixed ports 8080/8081) is for running it alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:profiles:grpc:0"] = $"http://127.0.0.1:{backendPort}",
            ["services:events:grpc:0"] = $"http://127.0.0.1:{closedPort}",
            ["Gateway:ApiKeys:a:Tenant"] = "tenant-a",
            ["Gateway:ApiKeys:a:Sha256"] = ApiKeyHasher.Hash(TenantAKey),
            ["Gateway:ApiKeys:b:Tenant"] = "tenant-b",
            ["Gateway:ApiKeys:b:Sha256"] = ApiKeyHasher.Hash(TenantBKey),
        });
        ListenOptions gatewayListen = null!;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => gatewayListen = o));
        builder.AddServiceDefaults();
        builder.AddGatewayServices();
        _gateway = builder.Build();
        _gateway.MapDefaultEndpoints();
        _gateway.MapGateway();
        await _gateway.StartAsync();

        Client = new HttpClient { BaseAddress = new Uri($"http://{gatewayListen.IPEndPoint}") };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }
}
