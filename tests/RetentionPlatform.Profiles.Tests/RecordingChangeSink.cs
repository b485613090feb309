using System.Collections.Concurrent;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>Records every delivered profile change (tests use a tenant of their own and read theirs back); can be told to fail.</summary>
public sealed class RecordingChangeSink : IProfileChangeSink, IDisposable
{
    public static RecordingChangeSink Instance { get; } = new();

    private readonly ConcurrentQueue<(string Tenant, string Customer, ProfileChange Change)> _delivered = new();
    private readonly ConcurrentDictionary<string, bool> _failingTenants = new();
    private readonly SemaphoreSlim _signal = new(0);

    public void Dispose() => _signal.Dispose();

    public void FailFor(string tenant, bool fail) => _failingTenants[tenant] = fail;

    public Task DeliverAsync(string tenantId, string customerId, IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken)
    {
        if (_failingTenants.TryGetValue(tenantId, out var fail) && fail)
        {
            throw new InvalidOperationException("The event bus is unavailable.");
        }

        foreach (var change in changes)
        {
            _delivered.Enqueue((tenantId, customerId, change));
        }

        _signal.Release();
        return Task.CompletedTask;
    }

    public List<(string Customer, ProfileChange Change)> Of(string tenant) =>
        _delivered.Where(d => d.Tenant == tenant).Select(d => (d.Customer, d.Change)).ToList();

    /// <summary>Waits until a change matching <paramref name="match"/> was delivered for the tenant.</summary>
    public async Task<ProfileChange> WaitForAsync(string tenant, Func<ProfileChange, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Of(tenant).Select(d => d.Change).FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await _signal.WaitAsync(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }
}
