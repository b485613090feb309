using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Recommendations.Apis;

/// <summary><c>GET /v1/recommendations/status</c>: proves the gateway route and the tenant hand-over reach this service.</summary>
public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/recommendations/status", GetStatus).RequireTenant().WithTags("Recommendations");
        return routes;
    }

    public static Ok<ServiceStatus> GetStatus(HttpContext context) => TypedResults.Ok(new ServiceStatus("recommendations", "ready", context.GetTenantId()));
}
