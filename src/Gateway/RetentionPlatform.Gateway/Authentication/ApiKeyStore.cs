using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Gateway.Authentication;

/// <summary>Finds the key a caller presented among the configured keys, by hash.</summary>
public sealed class ApiKeyStore
{
    private readonly FrozenDictionary<string, ApiKeyOptions> _byHash;

    public ApiKeyStore(IOptions<Dictionary<string, ApiKeyOptions>> keys)
    {
        foreach (var (name, key) in keys.Value)
        {
            if (!TenantId.IsValid(key.Tenant) || key.Sha256.Length != 64)
            {
                throw new InvalidOperationException($"API key '{name}' needs a valid Tenant and a 64-character hex Sha256.");
            }
        }

        _byHash = keys.Value.Values.ToFrozenDictionary(k => k.Sha256.ToLowerInvariant(), StringComparer.Ordinal);
    }

    public ApiKeyOptions? Find(string presentedKey) =>
        _byHash.TryGetValue(ApiKeyHasher.Hash(presentedKey), out var key) ? key : null;
}
