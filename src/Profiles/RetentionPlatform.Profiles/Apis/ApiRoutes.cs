using Microsoft.AspNetCore.Mvc;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>What every Profiles REST route group shares.</summary>
internal static class ApiRoutes
{
    /// <summary>
    /// A group of routes under <paramref name="prefix"/> that require a tenant, accept bodies up to
    /// <see cref="JsonBody.MaxBytes"/> and are listed under <paramref name="tag"/>.
    /// </summary>
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapGroup(prefix)
            .RequireTenant()
            .WithMetadata(new RequestSizeLimitAttribute(JsonBody.MaxBytes))
            .WithTags(tag);
}
