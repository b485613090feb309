namespace RetentionPlatform.Admin.Model;

/// <summary>A tenant as the admin API shows it; a null rate limit means the gateway's default.</summary>
internal sealed record Tenant(string Id, string Name, string Status, RateLimit? RateLimit, DateTimeOffset CreatedAt);
