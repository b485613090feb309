using System.Collections.Concurrent;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>The alias store for the in-process cluster (the PostgreSQL one is exercised through the service).</summary>
public sealed class InMemoryCustomerAliasStore : ICustomerAliasStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Alias), string> _aliases = new();

    public Task<string> ClaimAsync(string tenantId, string aliasKey, string customerId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_aliases.GetOrAdd((tenantId, aliasKey), customerId));

    public Task<string?> ResolveAsync(string tenantId, string aliasKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(_aliases.TryGetValue((tenantId, aliasKey), out var customer) ? customer : null);

    public Task AssignAsync(string tenantId, IReadOnlyCollection<string> aliases, string customerId, CancellationToken cancellationToken = default)
    {
        foreach (var alias in aliases)
        {
            _aliases[(tenantId, alias)] = customerId;
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAllAsync(string tenantId, string customerId, CancellationToken cancellationToken = default)
    {
        foreach (var entry in _aliases.Where(e => e.Key.Tenant == tenantId && e.Value == customerId).ToList())
        {
            _aliases.TryRemove(entry.Key, out _);
        }

        return Task.CompletedTask;
    }
}
