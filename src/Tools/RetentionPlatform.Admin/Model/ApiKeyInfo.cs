namespace RetentionPlatform.Admin.Model;

/// <summary>An API key as lists show it: its public prefix, never the key.</summary>
internal sealed record ApiKeyInfo(string Prefix, string Name, IReadOnlyList<string> Scopes, RateLimit? RateLimit, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
