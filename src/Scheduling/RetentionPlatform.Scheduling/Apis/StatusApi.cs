using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary><c>GET /v1/scheduling/status</c>: proves the gateway route and the tenant hand-over reach this service.</summary>
public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/scheduling/status", GetStatus).RequireTenant().WithTags("Scheduling");
        return routes;
    }

    public static Ok<ServiceStatus> GetStatus(HttpContext context) => TypedResults.Ok(new ServiceStatus("scheduling", "ready", context.GetTenantId()));
}
