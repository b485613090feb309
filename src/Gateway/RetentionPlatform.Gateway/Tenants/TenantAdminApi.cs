using System.Security.Claims;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Gateway.Tenants;

/// <summary>
/// Tenant and API-key management. The operator's admin API (<c>/admin/v1/tenants</c>, operator credential) manages
/// every tenant; a tenant's own key with the <c>admin</c> scope manages that tenant's keys (<c>/v1/api-keys</c>).
/// Changes reach this replica's key ring at once and every other replica's within its refresh interval.
/// </summary>
public static class TenantAdminApi
{
    public static IEndpointRouteBuilder MapTenantAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin/v1/tenants")
            .RequireAuthorization(GatewayPolicies.Operator)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AdminRequest.MaxBodyBytes))
            .WithTags("Operator");
        admin.MapPost("", CreateTenantAsync).WithName("CreateTenant").WithSummary("Create a tenant");
        admin.MapGet("", ListTenantsAsync).WithName("ListTenants").WithSummary("List tenants");
        admin.MapGet("/{tenantId}", GetTenantAsync).WithName("GetTenant").WithSummary("Read a tenant");
        admin.MapPatch("/{tenantId}", UpdateTenantAsync).WithName("UpdateTenant").WithSummary("Rename, suspend, reactivate a tenant or change its rate limit");
        admin.MapPost("/{tenantId}/keys", (string tenantId, HttpContext context, TenantStore store, ApiKeyRingRefresher ring) => IssueKeyAsync(tenantId, context, store, ring))
            .WithName("IssueTenantKey").WithSummary("Issue an API key for a tenant");
        admin.MapGet("/{tenantId}/keys", (string tenantId, TenantStore store, CancellationToken ct) => ListKeysAsync(tenantId, store, ct))
            .WithName("ListTenantKeys").WithSummary("List a tenant's API keys");
        admin.MapDelete("/{tenantId}/keys/{prefix}", (string tenantId, string prefix, TenantStore store, ApiKeyRingRefresher ring, CancellationToken ct) => RevokeKeyAsync(tenantId, prefix, store, ring, ct))
            .WithName("RevokeTenantKey").WithSummary("Revoke a tenant's API key");

        var own = routes.MapGroup("/v1/api-keys")
            .RequireAuthorization(ApiScopes.Admin)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AdminRequest.MaxBodyBytes))
            .WithTags("API keys");
        own.MapPost("", (HttpContext context, TenantStore store, ApiKeyRingRefresher ring) => IssueKeyAsync(CallerTenant(context), context, store, ring))
            .WithName("IssueApiKey").WithSummary("Issue an API key for your tenant");
        own.MapGet("", (HttpContext context, TenantStore store, CancellationToken ct) => ListKeysAsync(CallerTenant(context), store, ct))
            .WithName("ListApiKeys").WithSummary("List your tenant's API keys");
        own.MapDelete("/{prefix}", (string prefix, HttpContext context, TenantStore store, ApiKeyRingRefresher ring, CancellationToken ct) => RevokeKeyAsync(CallerTenant(context), prefix, store, ring, ct))
            .WithName("RevokeApiKey").WithSummary("Revoke one of your tenant's API keys");
        return routes;
    }

    private static string CallerTenant(HttpContext context) =>
        context.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim) ?? throw new InvalidOperationException("The route requires an API key.");

    private static async Task<IResult> CreateTenantAsync(HttpContext context, TenantStore store, ApiKeyRingRefresher ring)
    {
        var (request, problem) = await AdminRequest.ReadAsync(context.Request);
        if (request is null)
        {
            return problem!;
        }

        var id = request.TenantIdField("id");
        var name = request.Text("name", required: true);
        var limit = request.Limit(out _);
        if (request.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(request.Errors, title: "The tenant is invalid");
        }

        var tenant = await store.CreateTenantAsync(id!, name!, limit, context.RequestAborted);
        if (tenant is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "Tenant exists", detail: $"A tenant with id '{id}' already exists.");
        }

        await ring.ReloadAsync(context.RequestAborted);
        return TypedResults.Created($"/admin/v1/tenants/{tenant.Id}", tenant);
    }

    private static async Task<IResult> ListTenantsAsync(TenantStore store, CancellationToken ct) =>
        TypedResults.Ok(new TenantList(await store.ListTenantsAsync(ct)));

    private static async Task<IResult> GetTenantAsync(string tenantId, TenantStore store, CancellationToken ct) =>
        TenantId.IsValid(tenantId) && await store.GetTenantAsync(tenantId, ct) is { } tenant ? TypedResults.Ok(tenant) : TenantNotFound(tenantId);

    private static async Task<IResult> UpdateTenantAsync(string tenantId, HttpContext context, TenantStore store, ApiKeyRingRefresher ring)
    {
        if (!TenantId.IsValid(tenantId))
        {
            return TenantNotFound(tenantId);
        }

        var (request, problem) = await AdminRequest.ReadAsync(context.Request);
        if (request is null)
        {
            return problem!;
        }

        var name = request.Text("name", required: false);
        var status = request.Text("status", required: false, maxLength: 20);
        if (status is not null && !TenantStatus.IsValid(status))
        {
            request.Add("status", $"The 'status' field must be '{TenantStatus.Active}' or '{TenantStatus.Suspended}'.");
        }

        var limit = request.Limit(out var cleared);
        if (request.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(request.Errors, title: "The change is invalid");
        }

        var tenant = await store.UpdateTenantAsync(tenantId, name, status, limit, cleared, context.RequestAborted);
        if (tenant is null)
        {
            return TenantNotFound(tenantId);
        }

        await ring.ReloadAsync(context.RequestAborted);
        return TypedResults.Ok(tenant);
    }

    private static async Task<IResult> IssueKeyAsync(string tenantId, HttpContext context, TenantStore store, ApiKeyRingRefresher ring)
    {
        if (!TenantId.IsValid(tenantId))
        {
            return TenantNotFound(tenantId);
        }

        var (request, problem) = await AdminRequest.ReadAsync(context.Request);
        if (request is null)
        {
            return problem!;
        }

        var name = request.Text("name", required: true);
        var scopes = request.Scopes();
        var limit = request.Limit(out _);
        if (request.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(request.Errors, title: "The key request is invalid");
        }

        var issued = await store.IssueKeyAsync(tenantId, name!, scopes!, limit, context.RequestAborted);
        if (issued is null)
        {
            return TenantNotFound(tenantId);
        }

        await ring.ReloadAsync(context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created((string?)null, issued);
    }

    private static async Task<IResult> ListKeysAsync(string tenantId, TenantStore store, CancellationToken ct) =>
        TenantId.IsValid(tenantId) && await store.ListKeysAsync(tenantId, ct) is { } keys ? TypedResults.Ok(new ApiKeyList(keys)) : TenantNotFound(tenantId);

    private static async Task<IResult> RevokeKeyAsync(string tenantId, string prefix, TenantStore store, ApiKeyRingRefresher ring, CancellationToken ct)
    {
        if (!TenantId.IsValid(tenantId) || !ApiKeyFormat.IsPrefix(prefix) || !await store.RevokeKeyAsync(tenantId, prefix, ct))
        {
            return TypedResults.Problem(statusCode: 404, title: "API key not found", detail: $"Tenant '{tenantId}' has no API key with prefix '{prefix}'.");
        }

        await ring.ReloadAsync(ct);
        return TypedResults.NoContent();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TenantNotFound(string tenantId) =>
        TypedResults.Problem(statusCode: 404, title: "Tenant not found", detail: $"There is no tenant '{tenantId}'.");
}
