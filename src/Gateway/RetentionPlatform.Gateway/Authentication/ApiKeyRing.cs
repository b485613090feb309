using System.Collections.Frozen;
using RetentionPlatform.Gateway.Tenants;

namespace RetentionPlatform.Gateway.Authentication;

/// <summary>One usable API key as the gateway holds it in memory.</summary>
/// <param name="Prefix">The key's public prefix.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the whole key.</param>
/// <param name="Tenant">The tenant every request with the key belongs to.</param>
/// <param name="Scopes">What the key may do.</param>
/// <param name="TenantActive">False while the tenant is suspended.</param>
/// <param name="TenantLimit">The tenant's own rate limit, or null for the gateway's default.</param>
/// <param name="KeyLimit">The key's own rate limit, or null for none beyond the tenant's.</param>
public sealed record ApiKeyEntry(string Prefix, string Sha256, string Tenant, IReadOnlyList<string> Scopes, bool TenantActive, RateLimit? TenantLimit, RateLimit? KeyLimit);

/// <summary>
/// Every active API key, held in memory and looked up by hash, so authenticating a request costs one SHA-256
/// and a dictionary lookup. <see cref="ApiKeyRingRefresher"/> replaces the whole ring when the stored version
/// changes (within a second of a revocation, on every replica).
/// </summary>
public sealed class ApiKeyRing
{
    private volatile Snapshot _snapshot = new(-1, FrozenDictionary<string, ApiKeyEntry>.Empty);

    /// <summary>The stored version the ring was loaded at; -1 before the first load.</summary>
    public long Version => _snapshot.Version;

    public ApiKeyEntry? Find(string presentedKey) =>
        _snapshot.ByHash.TryGetValue(ApiKeyHasher.Hash(presentedKey), out var key) ? key : null;

    public void Replace(long version, IEnumerable<ApiKeyEntry> keys) =>
        _snapshot = new Snapshot(version, keys.ToFrozenDictionary(k => k.Sha256, StringComparer.Ordinal));

    private sealed record Snapshot(long Version, FrozenDictionary<string, ApiKeyEntry> ByHash);
}
