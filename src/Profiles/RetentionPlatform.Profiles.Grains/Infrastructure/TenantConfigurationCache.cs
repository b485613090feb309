using System.Collections.Concurrent;

namespace RetentionPlatform.Profiles;

/// <summary>
/// Each silo's copy of tenants' settings: a contact decision or event must not cost a call to the tenant grain.
/// Entries are refreshed after <see cref="MaxAge"/>, so a change made on another silo applies within seconds.
/// </summary>
public sealed class TenantConfigurationCache(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (TenantConfiguration Configuration, DateTimeOffset FetchedAt)> _entries = new(StringComparer.Ordinal);

    public ValueTask<TenantConfiguration> GetAsync(string tenantId)
    {
        if (_entries.TryGetValue(tenantId, out var entry) && time.GetUtcNow() - entry.FetchedAt < MaxAge)
        {
            return ValueTask.FromResult(entry.Configuration);
        }

        return new ValueTask<TenantConfiguration>(FetchAsync(tenantId));
    }

    /// <summary>Takes a configuration this silo just wrote, so its own grains see it at once.</summary>
    public void Put(string tenantId, TenantConfiguration configuration)
    {
        _entries.AddOrUpdate(
            tenantId,
            _ => (configuration, time.GetUtcNow()),
            (_, existing) => existing.Configuration.Version > configuration.Version ? existing : (configuration, time.GetUtcNow()));
    }

    private async Task<TenantConfiguration> FetchAsync(string tenantId)
    {
        var configuration = await grains.GetGrain<ITenantGrain>(tenantId).GetConfigurationAsync();
        Put(tenantId, configuration);
        return configuration;
    }
}
