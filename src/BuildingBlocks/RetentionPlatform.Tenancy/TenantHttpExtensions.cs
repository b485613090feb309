using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RetentionPlatform.Tenancy;

/// <summary>Reads the gateway-authenticated tenant on HTTP endpoints.</summary>
public static class TenantHttpExtensions
{
    private const string TenantItemKey = "retention.tenant";

    /// <summary>The tenant of the current request; only valid behind <see cref="RequireTenant{TBuilder}"/>.</summary>
    public static string GetTenantId(this HttpContext context) =>
        context.Items[TenantItemKey] as string
        ?? throw new InvalidOperationException("The endpoint does not require a tenant; add RequireTenant().");

    /// <summary>Refuses requests that carry no valid tenant header with a 401 ProblemDetails.</summary>
    public static TBuilder RequireTenant<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var tenant = context.Request.Headers[TenantHeaders.Tenant].ToString();
            if (!TenantId.IsValid(tenant))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthenticated",
                    detail: "The request carries no authenticated tenant; call the platform through the gateway with an API key.");
            }

            context.Items[TenantItemKey] = tenant;
            return await next(invocation);
        });
}
