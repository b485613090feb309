namespace RetentionPlatform.Gateway.Tenants;

/// <summary>What a tenant (one business) may send per second, as a token bucket: a steady rate and a burst.</summary>
public sealed record RateLimit(int PermitsPerSecond, int Burst);

/// <summary>A tenant as the admin API shows it.</summary>
public sealed record Tenant(string Id, string Name, string Status, RateLimit? RateLimit, DateTimeOffset CreatedAt);

/// <summary>An API key as lists show it: never the key itself, only its public prefix.</summary>
public sealed record ApiKeyInfo(string Prefix, string Name, IReadOnlyList<string> Scopes, RateLimit? RateLimit, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A newly issued key: the only answer that ever contains <see cref="Key"/>.</summary>
public sealed record IssuedApiKey(string Key, string Prefix, string Name, IReadOnlyList<string> Scopes, RateLimit? RateLimit, DateTimeOffset CreatedAt);

/// <summary>The tenant list of the admin API.</summary>
public sealed record TenantList(IReadOnlyList<Tenant> Tenants);

/// <summary>A tenant's key list.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyInfo> Keys);

/// <summary>Tenant statuses: a suspended tenant's keys stop working until it is active again.</summary>
public static class TenantStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";

    public static bool IsValid(string? value) => value is Active or Suspended;
}

/// <summary>What an API key may do. A route needs exactly one of them.</summary>
public static class ApiScopes
{
    /// <summary>Send events.</summary>
    public const string Ingest = "ingest";

    /// <summary>Read customers, segments, settings.</summary>
    public const string Read = "read";

    /// <summary>Change customers and segments.</summary>
    public const string Write = "write";

    /// <summary>Change the tenant's settings and manage its API keys.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Ingest, Read, Write, Admin];

    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) => value is Ingest or Read or Write or Admin;
}
