namespace RetentionPlatform.Admin.Model;

/// <summary>The answer of <c>GET /admin/v1/tenants</c>.</summary>
internal sealed record TenantList(IReadOnlyList<Tenant> Tenants);
