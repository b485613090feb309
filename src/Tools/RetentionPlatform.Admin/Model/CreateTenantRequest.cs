using System.Text.Json.Serialization;

namespace RetentionPlatform.Admin.Model;

/// <summary>The body of <c>POST /admin/v1/tenants</c>.</summary>
internal sealed record CreateTenantRequest(
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RateLimit? RateLimit);
