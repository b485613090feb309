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

    /// <summary>
    /// Refuses, with a 401 ProblemDetails, requests that carry no tenant header signed by the gateway
    /// (<see cref="GatewayTrust"/>).
    /// </summary>
    public static TBuilder RequireTenant<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var tenant = context.Request.Headers[TenantHeaders.Tenant].ToString();
            var refusal = context.RequestServices.GetGatewayTrust().Verify(tenant, context.Request.Headers[TenantHeaders.GatewaySignature].ToString());
            if (refusal is not null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthenticated", detail: refusal);
            }

            context.Items[TenantItemKey] = tenant;
            return await next(invocation);
        });
}
