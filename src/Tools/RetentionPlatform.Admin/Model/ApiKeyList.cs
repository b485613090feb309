namespace RetentionPlatform.Admin.Model;

/// <summary>The answer of <c>GET /admin/v1/tenants/{tenantId}/keys</c>.</summary>
internal sealed record ApiKeyList(IReadOnlyList<ApiKeyInfo> Keys);
