using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications.Apis;

/// <summary><c>GET /v1/notifications/status</c>: proves the gateway route and the tenant hand-over reach this service.</summary>
public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/notifications/status", GetStatus).RequireTenant().WithTags("Notifications");
        return routes;
    }

    public static Ok<ServiceStatus> GetStatus(HttpContext context) => TypedResults.Ok(new ServiceStatus("notifications", "ready", context.GetTenantId()));
}
