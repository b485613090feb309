using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RetentionPlatform.Tenancy;

/// <summary>
/// <c>GET /v1/&lt;service&gt;/status</c>: proves that the gateway route and the tenant hand-over reach a
/// service, before the service has routes of its own.
/// </summary>
public static class ServiceStatusApi
{
    public static IEndpointRouteBuilder MapServiceStatus(this IEndpointRouteBuilder routes, string service)
    {
        routes.MapGet($"/v1/{service}/status", (HttpContext context) => TypedResults.Ok(new ServiceStatus(service, "ready", context.GetTenantId())))
            .RequireTenant()
            .WithTags(service);
        return routes;
    }
}
