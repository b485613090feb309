using System.Text.Json.Serialization;

namespace RetentionPlatform.Admin.Model;

/// <summary>The body of <c>POST /admin/v1/tenants/{tenantId}/keys</c>.</summary>
internal sealed record IssueKeyRequest(
    string Name,
    IReadOnlyList<string> Scopes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RateLimit? RateLimit);
