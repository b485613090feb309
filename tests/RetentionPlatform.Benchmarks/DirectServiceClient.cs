using RetentionPlatform.Standalone;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Load clients that call a service directly, bypassing the gateway. A service accepts a tenant only with the
/// gateway's signature of it, so these carry what the gateway would add: the demo tenant and its signature,
/// made with the platform's secret (<see cref="StandalonePlatform.GatewaySecret"/>).
/// </summary>
public static class DirectServiceClient
{
    /// <summary>
    /// Longest a client made here may be used. It is signed once, at creation, and services accept a signature for
    /// <see cref="GatewayTrust.MaxAge"/>: create one per run (as the gateway benchmark does) and keep runs shorter.
    /// </summary>
    public static readonly TimeSpan MaxUse = TimeSpan.FromMinutes(1);

    /// <summary>A client of <paramref name="service"/>'s HTTP/1.1 endpoint with up to <paramref name="maxConnections"/> connections.</summary>
    public static HttpClient Create(StandalonePlatform platform, string service, int maxConnections)
    {
        var client = LoadClient.Create(LoadClient.OnIPv4Loopback(platform.ServiceHttpUrls[service]), maxConnections, null);
        client.DefaultRequestHeaders.Add(TenantHeaders.Tenant, StandaloneOptions.DemoTenant);
        client.DefaultRequestHeaders.Add(TenantHeaders.GatewaySignature, new GatewayTrust(platform.GatewaySecret).Sign(StandaloneOptions.DemoTenant));
        return client;
    }
}
